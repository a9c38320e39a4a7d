import HTTPTypes
import NIOCore

/// Writes HTTP/1.1 heads straight into a `ByteBuffer`.
///
/// Field names and values need no escaping: swift-http-types only lets valid tokens be names
/// and turns CR, LF and NUL in values into spaces when a field is made. What it does not check,
/// the request-target and authority, is checked here: a byte that could end the line throws
/// ``HeaderInjectionError`` and nothing is written.
extension ByteBuffer {
    /// Writes `request-line`, `Host` (from `request.authority`), the header fields and the empty
    /// line.
    ///
    /// The target is `request.path` in origin form, the authority for `CONNECT`, and
    /// `scheme://authority/path` when `absoluteForm` is set (requests to a forward proxy).
    @discardableResult
    public mutating func writeRequestHead(
        _ request: HTTPRequest,
        version: HTTPVersion = .http1_1,
        absoluteForm: Bool = false
    ) throws(HeaderInjectionError) -> Int {
        let authority = request.authority
        if let authority {
            try Self.check(authority, part: "authority", allowed: HTTPByte.isVisible)
        }
        let path = request.path ?? "/"
        let target: String
        if request.method == .connect {
            target = authority ?? ""
        } else if absoluteForm, let authority {
            let scheme = request.scheme ?? "http"
            try Self.check(scheme, part: "scheme", allowed: HTTPByte.isTokenChar)
            target = "\(scheme)://\(authority)\(path)"
        } else {
            target = path
        }
        try Self.check(target, part: "request-target", allowed: HTTPByte.isVisible)
        guard !target.isEmpty else {
            throw HeaderInjectionError(part: "request-target", value: "", index: 0)
        }

        let start = self.writerIndex
        self.writeString(request.method.rawValue)
        self.writeInteger(HTTPByte.sp)
        self.writeString(target)
        self.writeInteger(HTTPByte.sp)
        self.writeVersion(version)
        self.writeStaticString("\r\n")
        if let authority {
            self.writeStaticString("Host: ")
            self.writeString(authority)
            self.writeStaticString("\r\n")
        }
        self.writeFieldSection(request.headerFields)
        return self.writerIndex - start
    }

    /// Writes `status-line`, the header fields and the empty line; an empty reason phrase is
    /// replaced by the standard one for the code.
    @discardableResult
    public mutating func writeResponseHead(_ response: HTTPResponse, version: HTTPVersion = .http1_1) -> Int {
        let start = self.writerIndex
        let status = response.status
        self.writeVersion(version)
        self.writeInteger(HTTPByte.sp)
        let code = status.code
        self.writeInteger(UInt8(truncatingIfNeeded: 0x30 + code / 100))
        self.writeInteger(UInt8(truncatingIfNeeded: 0x30 + code / 10 % 10))
        self.writeInteger(UInt8(truncatingIfNeeded: 0x30 + code % 10))
        self.writeInteger(HTTPByte.sp)
        // The reason phrase is ISO Latin 1; swift-http-types has already replaced anything else.
        // An empty one gets the standard phrase, as clients and logs expect one.
        let reason = status.reasonPhrase.isEmpty ? ReasonPhrase.standard(for: code) ?? "" : status.reasonPhrase
        for scalar in reason.unicodeScalars {
            self.writeInteger(UInt8(truncatingIfNeeded: scalar.value))
        }
        self.writeStaticString("\r\n")
        self.writeFieldSection(response.headerFields)
        return self.writerIndex - start
    }

    /// Writes `name: value` lines and the empty line that ends a head or trailer section.
    mutating func writeFieldSection(_ fields: HTTPFields) {
        for field in fields {
            self.writeString(field.name.rawName)
            self.writeStaticString(": ")
            field.withUnsafeBytesOfValue { value in
                _ = self.writeBytes(value)
            }
            self.writeStaticString("\r\n")
        }
        self.writeStaticString("\r\n")
    }

    private mutating func writeVersion(_ version: HTTPVersion) {
        self.writeStaticString("HTTP/")
        self.writeInteger(UInt8(truncatingIfNeeded: 0x30 + version.major))
        self.writeInteger(UInt8(ascii: "."))
        self.writeInteger(UInt8(truncatingIfNeeded: 0x30 + version.minor))
    }

    /// Throws unless every UTF-8 byte of `value` passes `allowed`.
    private static func check(
        _ value: String,
        part: String,
        allowed: (UInt8) -> Bool
    ) throws(HeaderInjectionError) {
        var index = 0
        for byte in value.utf8 {
            guard allowed(byte) else {
                throw HeaderInjectionError(
                    part: part,
                    value: value.withContiguousUTF8 { FieldSectionParser.printable($0) },
                    index: index
                )
            }
            index += 1
        }
    }
}

extension String {
    /// Runs `body` over the UTF-8 bytes, copying only a string that is not contiguous.
    func withContiguousUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
