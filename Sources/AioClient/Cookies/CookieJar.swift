#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a session keeps cookies between requests, as aiohttp's `AbstractCookieJar`: a
/// ``CookieJar``, a ``DummyCookieJar`` that keeps none, or your own.
public protocol AbstractCookieJar: Sendable {
    /// Stores the cookies of the `Set-Cookie` values of a response from `url`.
    func update(setCookie values: [String], from url: String)
    /// The `Cookie` field's value for a request to `url`, or nil when no cookie goes there.
    func cookieHeader(for url: String) -> String?
}

/// Cookies as RFC 6265 stores and sends them (aiohttp's `CookieJar`): host-only and domain
/// cookies, path matching, `Secure` (sent over HTTPS only, and never set by a plain-HTTP page),
/// `Expires` read with RFC 6265's date parser and `Max-Age` winning over it, cookies sent most
/// specific path first, then oldest first. Cookies from IP-address hosts are refused unless the
/// jar is `unsafe`, as aiohttp's. Shared by every task of a session.
///
/// ```swift
/// let jar = CookieJar()
/// let session = try ClientSession(cookieJar: jar)
/// try jar.save(to: "cookies.json")
/// ```
public final class CookieJar: AbstractCookieJar {
    /// Whether cookies from IP-address hosts are kept.
    public let unsafe: Bool
    private let cookies = Mutex<[ClientCookie]>([])
    /// The clock, in seconds since 1970 (a parameter for tests of expiry).
    private let now: @Sendable () -> Double

    /// An empty jar.
    public init(unsafe: Bool = false) {
        self.unsafe = unsafe
        self.now = { Date().timeIntervalSince1970 }
    }

    init(unsafe: Bool = false, now: @escaping @Sendable () -> Double) {
        self.unsafe = unsafe
        self.now = now
    }

    /// How many cookies the jar holds, expired ones left out.
    public var count: Int {
        let now = self.now()
        return self.cookies.withLock { $0.count { !$0.isExpired(at: now) } }
    }

    /// Every cookie held, expired ones left out.
    public var all: [ClientCookie] {
        let now = self.now()
        return self.cookies.withLock { $0.filter { !$0.isExpired(at: now) } }
    }

    public func update(setCookie values: [String], from url: String) {
        guard !values.isEmpty, let url = try? ClientURL(url) else { return }
        self.update(setCookie: values, from: url)
    }

    func update(setCookie values: [String], from url: ClientURL) {
        let now = self.now()
        let parsed = values.compactMap { ClientCookie.parse($0, from: url, now: now, unsafe: self.unsafe) }
        guard !parsed.isEmpty else { return }
        self.cookies.withLock { cookies in
            for var cookie in parsed {
                if let index = cookies.firstIndex(where: { $0.name == cookie.name && $0.domain == cookie.domain && $0.path == cookie.path }) {
                    // A plain-HTTP page cannot replace a Secure cookie (RFC 6265bis §5.7).
                    if cookies[index].secure, !url.isSecure { continue }
                    cookie.created = cookies[index].created
                    cookies.remove(at: index)
                }
                if !cookie.isExpired(at: now) { cookies.append(cookie) }
            }
            cookies.removeAll { $0.isExpired(at: now) }
        }
    }

    public func cookieHeader(for url: String) -> String? {
        guard self.cookies.withLock({ !$0.isEmpty }), let url = try? ClientURL(url) else { return nil }
        return self.cookieHeader(for: url)
    }

    func cookieHeader(for url: ClientURL) -> String? {
        guard self.cookies.withLock({ !$0.isEmpty }) else { return nil }
        let matching = self.cookies(for: url)
        guard !matching.isEmpty else { return nil }
        return matching.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }

    /// The cookies a request to `url` carries, in the order they are sent.
    public func cookies(for url: String) -> [ClientCookie] {
        (try? ClientURL(url)).map { self.cookies(for: $0) } ?? []
    }

    func cookies(for url: ClientURL) -> [ClientCookie] {
        let now = self.now()
        let path = url.path
        let matching = self.cookies.withLock { cookies in
            cookies.filter { cookie in
                !cookie.isExpired(at: now) && (!cookie.secure || url.isSecure)
                    && (cookie.hostOnly ? url.host == cookie.domain : ClientCookie.domainMatches(url.host, cookie.domain))
                    && ClientCookie.pathMatches(path, cookie.path)
            }
        }
        return matching.sorted { $0.path.count != $1.path.count ? $0.path.count > $1.path.count : $0.created < $1.created }
    }

    /// Removes every cookie, or those `predicate` picks.
    public func clear(where predicate: (ClientCookie) -> Bool = { _ in true }) {
        self.cookies.withLock { $0.removeAll(where: predicate) }
    }

    /// Removes the cookies of `domain` and its subdomains.
    public func clear(domain: String) {
        let domain = domain.lowercased()
        self.clear { ClientCookie.domainMatches($0.domain, domain) }
    }

    /// Writes the cookies (expired ones left out) to `path` as JSON, readable by its owner only
    /// (mode 0600): host-only flags and absolute expiry kept.
    ///
    /// - Throws: an encoding or file error.
    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self.all)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw CookieFileError(path: path, code: errno) }
        defer { close(descriptor) }
        // An existing file keeps its mode on open: make it private too.
        fchmod(descriptor, 0o600)
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else { throw CookieFileError(path: path, code: errno) }
                offset += written
            }
        }
    }

    /// Replaces the cookies with those saved at `path` by ``save(to:)`` (expired ones dropped).
    ///
    /// - Throws: a file or decoding error.
    public func load(from path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let loaded = try JSONDecoder().decode([ClientCookie].self, from: data)
        let now = self.now()
        self.cookies.withLock { $0 = loaded.filter { !$0.isExpired(at: now) } }
    }
}

/// The cookie file could not be written.
public struct CookieFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// The system's error number.
    public let code: Int32

    public var description: String { "Cannot write the cookie file \(self.path): \(String(cString: strerror(self.code)))" }
}

/// A jar that keeps no cookie (aiohttp's `DummyCookieJar`): each request carries only the
/// `Cookie` field its caller gives.
public struct DummyCookieJar: AbstractCookieJar {
    /// A jar that keeps nothing.
    public init() {}

    public func update(setCookie values: [String], from url: String) {}
    public func cookieHeader(for url: String) -> String? { nil }
}
