import AioServer
import AioWire

/// A cookie to set on a response (`Set-Cookie`, RFC 6265), with every attribute aiohttp's
/// `set_cookie` takes.
public struct Cookie: Sendable, Hashable {
    /// How `SameSite` restricts cross-site sending.
    public enum SameSite: String, Sendable, Hashable {
        /// Sent only with requests from the cookie's own site.
        case strict = "Strict"
        /// Also sent when the user follows a link from another site (browsers' default).
        case lax = "Lax"
        /// Sent with cross-site requests too; browsers require `secure` with it.
        case none = "None"
    }

    /// The cookie's name: a token (RFC 9110's `tchar`s).
    public var name: String
    /// The cookie's value; one outside RFC 6265's cookie-octets is quoted, as aiohttp writes it.
    public var value: String
    /// Seconds since 1970 after which the cookie expires.
    public var expires: Int?
    /// Seconds the cookie lives; 0 deletes it.
    public var maxAge: Int?
    /// The host and its subdomains the cookie is sent to; nil for the response's host only.
    public var domain: String?
    /// The path prefix the cookie is sent under; nil for the request path's directory.
    public var path: String?
    /// Sent only over HTTPS.
    public var secure: Bool
    /// Hidden from the page's scripts.
    public var httpOnly: Bool
    /// How far cross-site requests carry the cookie; nil leaves it to the browser.
    public var sameSite: SameSite?
    /// Kept per top-level site (CHIPS): a third-party cookie that cannot track across sites.
    public var partitioned: Bool

    /// A cookie `name=value` with the given attributes (path `/` by default, as aiohttp).
    public init(
        name: String,
        value: String,
        expires: Int? = nil,
        maxAge: Int? = nil,
        domain: String? = nil,
        path: String? = "/",
        secure: Bool = false,
        httpOnly: Bool = false,
        sameSite: SameSite? = nil,
        partitioned: Bool = false
    ) {
        self.name = name
        self.value = value
        self.expires = expires
        self.maxAge = maxAge
        self.domain = domain
        self.path = path
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.partitioned = partitioned
    }

    /// A cookie that tells the browser to drop `name`.
    public static func deletion(name: String, path: String? = "/", domain: String? = nil) -> Cookie {
        Cookie(name: name, value: "", expires: 0, maxAge: 0, domain: domain, path: path)
    }

    /// The `Set-Cookie` field value. A value outside RFC 6265's cookie-octets is quoted with
    /// backslash escapes, as Python's `http.cookies` (and so aiohttp) writes it.
    public var headerValue: String {
        var text = "\(self.name)=\(Self.quote(self.value))"
        if let domain { text += "; Domain=\(domain)" }
        if let expires { text += "; expires=\(HTTPDate.format(expires))" }
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if let path { text += "; Path=\(path)" }
        if let sameSite { text += "; SameSite=\(sameSite.rawValue)" }
        if self.secure { text += "; Secure" }
        if self.httpOnly { text += "; HttpOnly" }
        if self.partitioned { text += "; Partitioned" }
        return text
    }

    /// Checks that the name is a token (RFC 6265 §4.1.1) and that `Domain` and `Path` hold no
    /// `;` or control character: any of them would let the cookie's text set other attributes.
    func validate() throws(InvalidCookie) {
        guard HTTPToken.isToken(self.name) else {
            throw InvalidCookie(name: self.name, reason: "the name is not a token")
        }
        for (attribute, value) in [("Domain", self.domain), ("Path", self.path)] {
            guard let value else { continue }
            guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: ";") }) else {
                throw InvalidCookie(name: self.name, reason: "its \(attribute) holds ';' or a control character")
            }
        }
    }

    /// `cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E`.
    static func isCookieOctet(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte) || (0x3C...0x5B).contains(byte)
            || (0x5D...0x7E).contains(byte)
    }

    static func quote(_ value: String) -> String {
        if value.utf8.allSatisfy(isCookieOctet) { return value }
        var quoted = "\""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): quoted += "\\\""
            case UInt8(ascii: "\\"): quoted += "\\\\"
            case _ where byte >= 0x20 && byte < 0x7F: quoted.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let octal = String(byte, radix: 8)
                quoted += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return quoted + "\""
    }

    /// The cookies of a `Cookie` request field: `name=value` pairs separated by `;`, quotes
    /// around a value removed; the first of two same-named cookies wins.
    public static func parse(_ header: String) -> [String: String] {
        var cookies: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingSpaces
            guard !name.isEmpty, cookies[name] == nil else { continue }
            var value = parts.count > 1 ? parts[1].trimmingSpaces : ""
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            cookies[name] = value
        }
        return cookies
    }
}

/// A cookie a response cannot carry as given: its name is not a token, or its `Domain` or
/// `Path` would end the attribute early.
public struct InvalidCookie: Error, Hashable, CustomStringConvertible {
    /// The cookie's name.
    public let name: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "Invalid cookie \(self.name.debugDescription): \(self.reason)" }
}
