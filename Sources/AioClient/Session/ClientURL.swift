import AioMultipart
import AioWire

/// An absolute `http` or `https` URL split into what a request needs: the connection's
/// scheme, host and port, the `Host` field, and the request-target. Parsed from its bytes as
/// RFC 3986 says (a relative reference resolved against a base, §5.2, dot segments removed);
/// characters a URL cannot carry as they are (spaces, non-ASCII, `"<>\^`{|}`) are
/// percent-encoded in the path and query, as browsers and yarl do. The fragment is kept for the
/// caller and never sent.
struct ClientURL: Sendable, Hashable, CustomStringConvertible {
    let scheme: String
    /// Lowercased; an IPv6 address without brackets; no trailing dot.
    let host: String
    let port: Int
    /// The `Host` field: the host, and the port unless it is the scheme's default.
    let authority: String
    /// Path and query, percent-encoded: what goes on the request line.
    let target: String
    let user: String?
    let password: String?
    let fragment: String?
    /// The URL without userinfo and fragment.
    let string: String

    var isSecure: Bool { self.scheme == "https" }
    var description: String { self.string }
    /// Scheme, host and port: what credentials and a redirect's origin check compare.
    var origin: String { "\(self.scheme)://\(self.authority)" }
    /// The path, percent-encoded, without the query.
    var path: String { self.target.firstIndex(of: "?").map { String(self.target[..<$0]) } ?? self.target }
    /// Whether the host is an IPv4 or IPv6 address rather than a name.
    var isIPAddress: Bool { Self.isAddress(self.host) }

    /// Whether `host` (as a `ClientURL` holds it) is an IPv6 or IPv4 address rather than a name:
    /// the one test for SNI, cookies and tunnels.
    static func isAddress(_ host: String) -> Bool {
        host.utf8.contains(UInt8(ascii: ":")) || Self.isIPv4(host.utf8)
    }

    /// Parses `text`, resolved against `base` when relative; `params` are added to the query.
    ///
    /// - Throws: ``NonHttpUrlClientError`` for another scheme, ``InvalidUrlClientError`` for
    ///   anything else wrong.
    init(_ text: String, relativeTo base: ClientURL? = nil, params: [(String, String)] = []) throws {
        let reference = URLReference(text)
        var scheme: String
        var authority: String?
        var path: String
        var query: String?
        if let own = reference.scheme {
            scheme = Self.asciiLowercased(own)
            authority = reference.authority
            path = Self.removingDotSegments(reference.path)
            query = reference.query
        } else if let base {
            // RFC 3986 §5.2.2 against the base's parts.
            scheme = base.scheme
            if let own = reference.authority {
                authority = own
                path = Self.removingDotSegments(reference.path)
                query = reference.query
            } else {
                authority = base.userinfoAndAuthority
                if reference.path.isEmpty {
                    path = base.path
                    query = reference.query ?? base.query
                } else {
                    path = reference.path.utf8.first == UInt8(ascii: "/")
                        ? Self.removingDotSegments(reference.path)
                        : Self.removingDotSegments(Self.merge(base.path, reference.path))
                    query = reference.query
                }
            }
        } else {
            throw InvalidUrlClientError(text, reason: "no scheme (a relative URL needs a base URL)")
        }
        guard scheme == "http" || scheme == "https" else { throw NonHttpUrlClientError(text) }
        guard let authority else { throw InvalidUrlClientError(text, reason: "no host") }
        let parts = try Self.parseAuthority(authority, url: text)
        let defaultPort = scheme == "https" ? 443 : 80
        let port = parts.port ?? defaultPort
        self.scheme = scheme
        self.host = parts.host
        self.port = port
        self.user = parts.user
        self.password = parts.password
        let hostForm = parts.host.utf8.contains(UInt8(ascii: ":")) ? "[\(parts.host)]" : parts.host
        self.authority = port == defaultPort ? hostForm : "\(hostForm):\(port)"
        if path.isEmpty { path = "/" }
        var encodedQuery = query.map { Self.encoded($0, allowing: Self.isQueryByte) }
        if !params.isEmpty {
            let added = FormEncoding.encode(params)
            encodedQuery = encodedQuery.map { $0.isEmpty ? added : "\($0)&\(added)" } ?? added
        }
        let encodedPath = Self.encoded(path, allowing: Self.isPathByte)
        self.target = encodedQuery.map { "\(encodedPath)?\($0)" } ?? encodedPath
        self.fragment = reference.fragment
        self.string = "\(scheme)://\(self.authority)\(self.target)"
    }

    /// The `Location` `text` of a redirect from this URL.
    func redirect(to text: String) throws -> ClientURL {
        do {
            return try ClientURL(text, relativeTo: self)
        } catch is NonHttpUrlClientError {
            throw NonHttpUrlRedirectClientError(text)
        } catch let error as InvalidUrlClientError {
            throw InvalidUrlRedirectClientError(text, reason: error.reason)
        }
    }

    /// The query, without `?`.
    private var query: String? { self.target.firstIndex(of: "?").map { String(self.target[self.target.index(after: $0)...]) } }

    /// The authority with its userinfo, for a relative reference that keeps it.
    private var userinfoAndAuthority: String {
        guard let user else { return self.authority }
        let userinfo = PercentEncoding.encode(user, unescaped: PercentEncoding.isUnreserved)
            + (self.password.map { ":" + PercentEncoding.encode($0, unescaped: PercentEncoding.isUnreserved) } ?? "")
        return "\(userinfo)@\(self.authority)"
    }

    // MARK: Parts

    /// `[ userinfo "@" ] host [ ":" port ]`, read from its bytes.
    private static func parseAuthority(_ authority: String, url: String) throws(InvalidUrlClientError) -> (host: String, port: Int?, user: String?, password: String?) {
        var authority = authority
        let parts = authority.withUTF8 { bytes -> Result<(host: String, port: Int?, user: String?, password: String?), InvalidUrlClientError> in
            var user: String?
            var password: String?
            var start = 0
            if let at = bytes.lastIndex(of: UInt8(ascii: "@")) {
                let userinfo = bytes[..<at]
                if let colon = userinfo.firstIndex(of: UInt8(ascii: ":")) {
                    user = PercentEncoding.decode(bytes[..<colon])
                    password = PercentEncoding.decode(bytes[(colon + 1)..<at])
                } else {
                    user = PercentEncoding.decode(userinfo)
                }
                start = at + 1
            }
            var hostRange = start..<bytes.count
            var portRange: Range<Int>?
            let isLiteral = start < bytes.count && bytes[start] == UInt8(ascii: "[")
            if isLiteral {
                guard let close = bytes[start...].firstIndex(of: UInt8(ascii: "]")) else {
                    return .failure(InvalidUrlClientError(url, reason: "an IPv6 address without its ']'"))
                }
                hostRange = (start + 1)..<close
                if close + 1 < bytes.count {
                    guard bytes[close + 1] == UInt8(ascii: ":") else { return .failure(InvalidUrlClientError(url, reason: "text after the IPv6 address")) }
                    portRange = (close + 2)..<bytes.count
                }
                guard !hostRange.isEmpty, bytes[hostRange].allSatisfy({ Hex.value($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else {
                    return .failure(InvalidUrlClientError(url, reason: "not an IPv6 address"))
                }
            } else if let colon = bytes[start...].lastIndex(of: UInt8(ascii: ":")) {
                hostRange = start..<colon
                portRange = (colon + 1)..<bytes.count
            }
            var port: Int?
            if let portRange, !portRange.isEmpty {
                let digits = bytes[portRange]
                guard digits.count <= 5, digits.allSatisfy(Self.isDigit), case let value = digits.reduce(0, { $0 * 10 + Int($1 - 0x30) }),
                    (1...65535).contains(value)
                else {
                    return .failure(InvalidUrlClientError(url, reason: "port '\(String(decoding: digits, as: UTF8.self))' is not a number from 1 to 65535"))
                }
                port = value
            }
            var host = Self.asciiLowercased(PercentEncoding.decode(bytes[hostRange]))
            if host.utf8.last == UInt8(ascii: "."), host.utf8.count > 1 { host.removeLast() }
            guard !host.isEmpty else { return .failure(InvalidUrlClientError(url, reason: "no host")) }
            if !isLiteral {
                guard host.utf8.allSatisfy(Self.isHostByte) else {
                    return .failure(InvalidUrlClientError(url, reason: "the host '\(host)' has characters a host name cannot"))
                }
                if Self.endsWithNumber(host.utf8), !Self.isIPv4(host.utf8) {
                    return .failure(
                        InvalidUrlClientError(url, reason: "the host is not a canonical IPv4 address (write it as four decimal numbers)")
                    )
                }
            }
            return .success((host, port, user, password))
        }
        return try parts.get()
    }

    /// Whether the last label of `host` is a number as WHATWG's host parser reads one (all
    /// decimal digits, or `0x` and hex digits): a resolver reads such a name as an IPv4 address
    /// (`127.1`, `2130706433`, `0x7f.0.0.1`), which is refused unless it is four decimal octets,
    /// the form the URL shows. `foo.1ab` is a name.
    private static func endsWithNumber(_ host: String.UTF8View) -> Bool {
        let last = host.lastIndex(of: UInt8(ascii: ".")).map { host[host.index(after: $0)...] } ?? host[...]
        guard let first = last.first else { return false }
        if last.allSatisfy(Self.isDigit) { return true }
        let rest = last.dropFirst()
        return first == UInt8(ascii: "0") && rest.first.map { $0 | 0x20 == UInt8(ascii: "x") } == true && rest.dropFirst().allSatisfy { Hex.value($0) != nil }
    }

    /// Four decimal octets without leading zeros.
    private static func isIPv4(_ host: String.UTF8View) -> Bool {
        var labels = 0
        var value = 0
        var digits = 0
        var leadingZero = false
        for byte in host {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, labels < 3 else { return false }
                labels += 1
                (value, digits, leadingZero) = (0, 0, false)
                continue
            }
            guard Self.isDigit(byte), !leadingZero else { return false }
            if digits == 0, byte == UInt8(ascii: "0") { leadingZero = true }
            value = value * 10 + Int(byte - 0x30)
            digits += 1
            guard digits <= 3, value <= 255 else { return false }
        }
        return labels == 3 && digits > 0
    }

    /// RFC 3986 §5.2.3: the base path up to its last `/`, then the reference's.
    private static func merge(_ basePath: String, _ reference: String) -> String {
        guard let slash = basePath.lastIndex(of: "/") else { return "/" + reference }
        return basePath[...slash] + reference
    }

    /// RFC 3986 §5.2.4.
    static func removingDotSegments(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: ".")) else { return path }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if output.count > 1 { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        let joined = output.joined(separator: "/")
        return path.hasPrefix("/") && !joined.hasPrefix("/") ? "/" + joined : joined
    }

    /// `text` with every byte `allowed` refuses percent-encoded (existing escapes kept).
    /// A `%` not followed by two hex digits is encoded too (`/100%` → `/100%25`), as yarl does.
    private static func encoded(_ text: String, allowing allowed: (UInt8) -> Bool) -> String {
        let source = Array(text.utf8)
        func isEscape(_ index: Int) -> Bool {
            index + 2 < source.count && Hex.value(source[index + 1]) != nil && Hex.value(source[index + 2]) != nil
        }
        guard !source.indices.allSatisfy({ allowed(source[$0]) && (source[$0] != UInt8(ascii: "%") || isEscape($0)) }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count + 8)
        for index in source.indices {
            let byte = source[index]
            if allowed(byte), byte != UInt8(ascii: "%") || isEscape(index) { bytes.append(byte) } else { Hex.escape(byte, into: &bytes) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    /// A reg-name's bytes once decoded: unreserved, sub-delims, and non-ASCII (an IDN).
    private static func isHostByte(_ byte: UInt8) -> Bool {
        PercentEncoding.isUnreserved(byte) || byte >= 0x80 || "!$&'()*+,;=".utf8.contains(byte)
    }

    /// `text` with ASCII letters lowercased (a scheme, a host): Unicode case mapping would
    /// change an IDN's bytes and costs far more.
    private static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// `pchar` and `/`, and `%` of an escape.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        PercentEncoding.isUnreserved(byte) || "!$&'()*+,;=:@/%".utf8.contains(byte)
    }

    /// The query's bytes: `pchar`, `/` and `?` (and `%`).
    private static func isQueryByte(_ byte: UInt8) -> Bool {
        Self.isPathByte(byte) || byte == UInt8(ascii: "?")
    }
}

/// A URI reference split as RFC 3986 Appendix B does:
/// `^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?`, in one pass over its bytes.
struct URLReference {
    var scheme: String?
    var authority: String?
    var path = ""
    var query: String?
    var fragment: String?

    init(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
            var end = bytes.count
            if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) {
                self.fragment = string(hash + 1..<end)
                end = hash
            }
            if let mark = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) {
                self.query = string(mark + 1..<end)
                end = mark
            }
            var start = 0
            // A scheme: a letter, then letters, digits, `+`, `-` and `.`, up to a `:` before any
            // `/` (`a/b:c` is a path).
            if let colon = bytes[..<end].firstIndex(of: UInt8(ascii: ":")), colon > 0, Self.isLetter(bytes[0]),
                bytes[..<colon].allSatisfy(Self.isSchemeByte)
            {
                self.scheme = string(0..<colon)
                start = colon + 1
            }
            if end - start >= 2, bytes[start] == UInt8(ascii: "/"), bytes[start + 1] == UInt8(ascii: "/") {
                let authorityEnd = bytes[(start + 2)..<end].firstIndex(of: UInt8(ascii: "/")) ?? end
                self.authority = string(start + 2..<authorityEnd)
                start = authorityEnd
            }
            self.path = string(start..<end)
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        Self.isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
