import AioWire

/// A cookie a server set (RFC 6265 §5.2), with what the jar decided about it: its domain and
/// whether it is for that host only, its path, and when it expires.
public struct ClientCookie: Sendable, Hashable, Codable {
    /// The name.
    public var name: String
    /// The value, as the server sent it.
    public var value: String
    /// The host (host-only) or domain it is sent to, lowercased, without a leading dot.
    public var domain: String
    /// Whether it goes to `domain` exactly, not to its subdomains (no `Domain` attribute).
    public var hostOnly: Bool
    /// The path it is sent under.
    public var path: String
    /// Sent over HTTPS only.
    public var secure: Bool
    /// Not for scripts (kept; a client sends it as any other).
    public var httpOnly: Bool
    /// `SameSite` as the server sent it (`Lax`, `Strict`, `None`), if it did.
    public var sameSite: String?
    /// When it expires, in seconds since 1970; nil for a session cookie.
    public var expires: Double?
    /// When it was first stored, in seconds since 1970: older cookies go first among equals.
    public var created: Double

    /// Whether it has expired at `now` (seconds since 1970).
    func isExpired(at now: Double) -> Bool {
        self.expires.map { $0 <= now } ?? false
    }

    /// Parses a `Set-Cookie` value received from `url` at `now`, as RFC 6265 §5.2 and §5.3 say;
    /// nil when the cookie must be ignored (no name-value pair, a `Domain` the host is not in).
    static func parse(_ header: String, from url: ClientURL, now: Double, unsafe: Bool) -> ClientCookie? {
        // Split by scalars, not characters: a `;` or `=` followed by a combining mark is one
        // character, and would otherwise stay inside a value (and split it again in `Cookie`).
        var parts = header.unicodeScalars.split(separator: ";", omittingEmptySubsequences: false)[...]
        guard let pair = parts.popFirst(), let equals = pair.firstIndex(of: "=") else { return nil }
        let name = String(pair[..<equals]).trimmingSpaces
        let value = String(pair[pair.index(after: equals)...]).trimmingSpaces
        // RFC 6265bis §5.7: a control character (but a tab) in either ignores the cookie.
        guard !name.isEmpty, !name.containsControlCharacters, !value.containsControlCharacters else { return nil }
        var cookie = ClientCookie(
            name: name, value: value, domain: url.host, hostOnly: true, path: Self.defaultPath(url),
            secure: false, httpOnly: false, sameSite: nil, expires: nil, created: now
        )
        var maxAge: Double?
        var expires: Double?
        var domain: String?
        for attribute in parts {
            let equals = attribute.firstIndex(of: "=")
            let key = String(attribute[..<(equals ?? attribute.endIndex)]).trimmingSpaces.lowercased()
            let text = equals.map { String(attribute[attribute.index(after: $0)...]).trimmingSpaces } ?? ""
            switch key {
            case "expires":
                if let date = CookieDate.parse(text) { expires = date }
            case "max-age":
                // `-`? DIGIT+: anything else is ignored; zero or less expires at once.
                let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
                if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                    let seconds = Double(text) ?? 0
                    maxAge = seconds <= 0 ? -Double.greatestFiniteMagnitude : seconds
                }
            case "domain":
                var name = text.lowercased()
                if name.hasPrefix(".") { name.removeFirst() }
                if !name.isEmpty { domain = name }
            case "path":
                if text.hasPrefix("/") { cookie.path = text }
            case "secure":
                cookie.secure = true
            case "httponly":
                cookie.httpOnly = true
            case "samesite":
                cookie.sameSite = text
            default:
                break
            }
        }
        if let maxAge {
            cookie.expires = maxAge < 0 ? 0 : now + maxAge
        } else {
            cookie.expires = expires
        }
        if let domain {
            // A cookie for a domain the host is not in is refused; an IP address host can only
            // name itself (§5.3 step 6). Public suffixes are not listed here: a single-label
            // domain (`com`) other than the host itself is refused instead, and one equal to the
            // host stays host-only as §5.3 says for a public suffix.
            guard Self.domainMatches(url.host, domain) else { return nil }
            if !domain.contains(".") {
                guard domain == url.host else { return nil }
            } else {
                cookie.domain = domain
                cookie.hostOnly = false
            }
        }
        guard unsafe || !url.isIPAddress else { return nil }
        // A page without TLS cannot set a Secure cookie (RFC 6265bis §5.7, as browsers do).
        if cookie.secure, !url.isSecure { return nil }
        return cookie
    }

    /// RFC 6265 §5.1.3: `host` is `domain`, or ends with `.domain` and is not an IP address.
    static func domainMatches(_ host: String, _ domain: String) -> Bool {
        if host.utf8.elementsEqual(domain.utf8) { return true }
        guard host.utf8.reversed().starts(with: ("." + domain).utf8.reversed()) else { return false }
        return !ClientURL.isAddress(host)
    }

    /// RFC 6265 §5.1.4: `requestPath` is `path`, or continues it at a `/`.
    static func pathMatches(_ requestPath: String, _ path: String) -> Bool {
        let request = requestPath.utf8
        guard request.starts(with: path.utf8) else { return false }
        return request.count == path.utf8.count || path.utf8.last == UInt8(ascii: "/")
            || request.dropFirst(path.utf8.count).first == UInt8(ascii: "/")
    }

    /// RFC 6265 §5.1.4: the request path up to its last `/`, or `/`.
    private static func defaultPath(_ url: ClientURL) -> String {
        let path = url.path
        guard path.hasPrefix("/"), let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
