import HTTPTypes

/// A request-target split into the parts ``HTTPRequest`` stores (RFC 9112 §3.2).
struct RequestTarget: Sendable {
    var form: RequestTargetForm
    var scheme: String?
    var authority: String?
    var path: String?
    /// The whole target, kept for the absolute form only.
    var absolute: String?

    /// Parses `bytes`, already known to be VCHARs, as the target of a `method` request.
    init(_ bytes: UnsafeRawBufferPointer, method: HTTPRequest.Method, base: Int) throws {
        func invalid(_ message: String, at index: Int = 0) -> BadStatusLine {
            BadStatusLine(message, line: FieldSectionParser.printable(bytes), offset: base + index)
        }
        if method == .connect {
            guard URIAuthority.isValid(bytes, requirePort: true), URIAuthority.hasHost(bytes) else {
                throw invalid("CONNECT needs an authority-form target (host:port)")
            }
            self.init(form: .authority, authority: String(decoding: bytes, as: UTF8.self))
            return
        }
        if bytes[0] == UInt8(ascii: "/") {
            self.init(form: .origin, path: String(decoding: bytes, as: UTF8.self))
            return
        }
        if bytes.count == 1, bytes[0] == UInt8(ascii: "*") {
            guard Self.acceptsAsterisk(method) else {
                throw invalid("The asterisk-form target is only allowed with OPTIONS")
            }
            self.init(form: .asterisk, path: "*")
            return
        }
        // absolute-form: scheme "://" authority path-abempty [ "?" query ]
        var index = 0
        while index < bytes.count, Self.isSchemeChar(bytes[index], first: index == 0) { index += 1 }
        guard index > 0, index + 2 < bytes.count, bytes[index] == UInt8(ascii: ":"),
            bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/")
        else {
            throw invalid("Invalid request-target", at: index)
        }
        let scheme = UnsafeRawBufferPointer(rebasing: bytes[..<index])
        let authorityStart = index + 3
        var authorityEnd = authorityStart
        var userinfoEnd: Int?
        while authorityEnd < bytes.count {
            let byte = bytes[authorityEnd]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            if byte == UInt8(ascii: "@") { userinfoEnd = authorityEnd }
            authorityEnd += 1
        }
        let hostStart = userinfoEnd.map { $0 + 1 } ?? authorityStart
        let authority = UnsafeRawBufferPointer(rebasing: bytes[hostStart..<authorityEnd])
        guard URIAuthority.isValid(authority, requirePort: false), URIAuthority.hasHost(authority) else {
            throw invalid("Invalid authority in request-target", at: hostStart)
        }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[authorityEnd...])
        self.init(
            form: .absolute,
            scheme: String(decoding: scheme, as: UTF8.self).lowercased(),
            authority: String(decoding: authority, as: UTF8.self),
            path: rest.first == UInt8(ascii: "/") ? String(decoding: rest, as: UTF8.self) : "/" + String(decoding: rest, as: UTF8.self),
            absolute: String(decoding: bytes, as: UTF8.self)
        )
    }

    private init(form: RequestTargetForm, scheme: String? = nil, authority: String? = nil, path: String? = nil, absolute: String? = nil) {
        self.form = form
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.absolute = absolute
    }

    private static func acceptsAsterisk(_ method: HTTPRequest.Method) -> Bool {
        method == .options || method.rawValue == "M-SEARCH" || method.rawValue == "NOTIFY"
    }

    /// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    private static func isSchemeChar(_ byte: UInt8, first: Bool) -> Bool {
        let lower = byte | 0x20
        if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") { return true }
        if first { return false }
        return HTTPByte.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }
}
