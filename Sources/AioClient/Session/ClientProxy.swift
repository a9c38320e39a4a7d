#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A forward proxy requests go through: `http://` requests in absolute form, `https://` ones
/// through a `CONNECT` tunnel; the proxy itself reached over HTTP or HTTPS, with Basic
/// credentials from `auth` or its URL's userinfo (`Proxy-Authorization`).
struct ClientProxy: Sendable, Hashable {
    let url: ClientURL
    /// The `Proxy-Authorization` value, if any.
    let authorization: String?

    init(_ url: String, auth: BasicAuth?) throws {
        let parsed = try ClientURL(url)
        self.url = parsed
        if let auth {
            self.authorization = auth.headerValue
        } else if let user = parsed.user {
            self.authorization = try BasicAuth(login: user, password: parsed.password ?? "").headerValue
        } else {
            self.authorization = nil
        }
    }

    /// The proxy the environment names for `url` (`HTTP_PROXY`, `HTTPS_PROXY`, lowercase
    /// forms first as curl reads them), unless `NO_PROXY` exempts its host.
    static func fromEnvironment(for url: ClientURL, environment: [String: String] = ProcessInfo.processInfo.environment) -> ClientProxy? {
        // Under CGI, `HTTP_PROXY` is the request's own `Proxy:` field ("httpoxy"): as Python's
        // urllib, only the lowercase form counts when a request method is set.
        let isCGI = environment["REQUEST_METHOD"] != nil
        func variable(_ name: String) -> String? {
            let upper = isCGI && name == "http_proxy" ? nil : environment[name.uppercased()]
            return (environment[name.lowercased()] ?? upper).flatMap { $0.isEmpty ? nil : $0 }
        }
        if let exempt = variable("no_proxy"), Self.isExempt(url, noProxy: exempt) { return nil }
        guard let proxy = variable(url.isSecure ? "https_proxy" : "http_proxy") else { return nil }
        return try? ClientProxy(proxy.contains("://") ? proxy : "http://" + proxy, auth: nil)
    }

    /// Whether `NO_PROXY` (`*`, or names and domains, with or without a leading dot and a
    /// port) covers `url`'s host.
    static func isExempt(_ url: ClientURL, noProxy: String) -> Bool {
        for entry in noProxy.split(separator: ",") {
            var name = entry.trimmingSpaces.lowercased()
            if name == "*" { return true }
            // A port only after a name, an IPv4 address or a bracketed IPv6 one (`::1` is not
            // host `:` and port 1).
            let colons = name.count { $0 == ":" }
            if let colon = name.lastIndex(of: ":"), colons == 1 || name.hasPrefix("["), !name.hasSuffix("]"),
                let port = Int(name[name.index(after: colon)...])
            {
                guard port == url.port else { continue }
                name = String(name[..<colon])
            }
            if name.hasPrefix(".") { name.removeFirst() }
            if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
            guard !name.isEmpty else { continue }
            if url.host == name || url.host.hasSuffix("." + name) { return true }
        }
        return false
    }
}
