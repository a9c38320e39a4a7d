#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioMultipart

/// An absolute `http` or `https` URL split into what a request needs: the connection's
/// scheme, host and port, the `Host` field, and the request-target. Relative references are
/// resolved as RFC 3986 §5 says; the fragment is kept for the caller and never sent.
struct ClientURL: Sendable, Hashable, CustomStringConvertible {
    let scheme: String
    /// Lowercased; an IPv6 address without brackets.
    let host: String
    let port: Int
    /// The `Host` field: the host, and the port unless it is the scheme's default.
    let authority: String
    /// Path and query, percent-encoded as given: what goes on the request line.
    let target: String
    let user: String?
    let password: String?
    let fragment: String?
    /// The URL without userinfo and fragment.
    let string: String

    var isSecure: Bool { self.scheme == "https" }
    /// The path, percent-encoded, without the query.
    var path: String { self.target.firstIndex(of: "?").map { String(self.target[..<$0]) } ?? self.target }
    /// Whether the host is an IPv4 or IPv6 address rather than a name.
    var isIPAddress: Bool { self.host.contains(":") || self.host.allSatisfy { $0.isASCIIDigit || $0 == "." } }
    var description: String { self.string }
    /// Scheme, host and port: what a cookie, credentials and a redirect's origin check compare.
    var origin: String { "\(self.scheme)://\(self.authority)" }

    /// Parses `text`, resolved against `base` when relative; `params` are added to the query.
    ///
    /// - Throws: ``NonHttpUrlClientError`` for another scheme, ``InvalidUrlClientError`` for
    ///   anything else wrong.
    init(_ text: String, relativeTo base: ClientURL? = nil, params: [(String, String)] = []) throws {
        try self.init(text, base: base, params: params)
    }

    /// The `Location` `text` of a redirect from this URL.
    func redirect(to text: String) throws -> ClientURL {
        do {
            return try ClientURL(text, base: self, params: [])
        } catch is NonHttpUrlClientError {
            throw NonHttpUrlRedirectClientError(text)
        } catch let error as InvalidUrlClientError {
            throw InvalidUrlRedirectClientError(text, reason: error.reason)
        }
    }

    private init(_ text: String, base: ClientURL?, params: [(String, String)]) throws {
        let baseURL = base.flatMap { URL(string: $0.string + ($0.fragment.map { "#\($0)" } ?? "")) }
        guard let parsed = URL(string: text, relativeTo: baseURL)?.absoluteURL else {
            throw InvalidUrlClientError(text, reason: "not a valid URL")
        }
        guard let scheme = parsed.scheme?.lowercased() else { throw InvalidUrlClientError(text, reason: "no scheme (a relative URL needs a base URL)") }
        guard scheme == "http" || scheme == "https" else { throw NonHttpUrlClientError(text) }
        guard var host = parsed.host(percentEncoded: false)?.lowercased(), !host.isEmpty else {
            throw InvalidUrlClientError(text, reason: "no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix("."), host.count > 1 { host.removeLast() }
        try Self.checkHost(host, url: text)
        let defaultPort = scheme == "https" ? 443 : 80
        let port = parsed.port ?? defaultPort
        guard (1...65535).contains(port) else { throw InvalidUrlClientError(text, reason: "port \(port) out of range") }
        self.scheme = scheme
        self.host = host
        self.port = port
        let hostForm = host.contains(":") ? "[\(host)]" : host
        self.authority = port == defaultPort ? hostForm : "\(hostForm):\(port)"
        var path = parsed.path(percentEncoded: true)
        if path.isEmpty { path = "/" }
        var query = parsed.query(percentEncoded: true)
        if !params.isEmpty {
            let added = FormEncoding.encode(params)
            query = query.map { $0.isEmpty ? added : "\($0)&\(added)" } ?? added
        }
        self.target = query.map { "\(path)?\($0)" } ?? path
        self.user = parsed.user(percentEncoded: false)
        self.password = parsed.password(percentEncoded: false)
        self.fragment = parsed.fragment(percentEncoded: true)
        self.string = "\(scheme)://\(self.authority)\(self.target)"
    }

    /// Refuses IPv4 forms that are not four decimal octets (`127.1`, `2130706433`, `0x7f.1`):
    /// resolvers read them as addresses that the URL does not show.
    private static func checkHost(_ host: String, url: String) throws(InvalidUrlClientError) {
        guard !host.contains(":") else { return }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        // A name whose last label is numeric (or hex) is an IPv4 address to a resolver.
        guard let last = labels.last, last.allSatisfy({ $0.isHexDigit || $0 == "x" || $0 == "X" }),
            last.first?.isNumber == true
        else { return }
        let canonical = labels.count == 4 && labels.allSatisfy { label in
            guard let value = Int(label), (0...255).contains(value) else { return false }
            return label == "0" || !label.hasPrefix("0")
        }
        guard canonical else { throw InvalidUrlClientError(url, reason: "the host is not a canonical IPv4 address (write it as four decimal numbers)") }
    }
}
