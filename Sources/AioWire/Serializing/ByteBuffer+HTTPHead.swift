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

        return self.writeRequestHead(method: request.method, target: target, authority: authority, fields: request.headerFields, version: version)
    }

    /// Writes a request head from its parts: `fields`, then `extraFields` (a client's own
    /// defaults, added without building a new `HTTPFields`). `target` and `authority` are not
    /// checked: the caller made them, or checked them as ``writeRequestHead(_:version:absoluteForm:)``
    /// does.
    @discardableResult
    package mutating func writeRequestHead(
        method: HTTPRequest.Method,
        target: String,
        authority: String?,
        fields: HTTPFields,
        extraFields: [HTTPField] = [],
        version: HTTPVersion = .http1_1
    ) -> Int {
        // One reservation and one pass, as for a response head: each `ByteBuffer` write costs
        // checks worth more than a short field.
        let method = method.rawValue
        let count = fields.count
        var room = method.utf8.count + target.utf8.count + 12 + (authority.map { $0.utf8.count + 8 } ?? 0) + 2
        for index in 0..<count {
            let field = fields[index]
            room += field.name.rawName.utf8.count + field.withUnsafeBytesOfValue { $0.count } + 4
        }
        for field in extraFields {
            room += field.name.rawName.utf8.count + field.withUnsafeBytesOfValue { $0.count } + 4
        }
        return self.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { raw in
            var out = RawWriter(base: raw.baseAddress!)
            out.append(string: method)
            out.append(byte: HTTPByte.sp)
            out.append(string: target)
            out.append(byte: HTTPByte.sp)
            out.append(version: version)
            out.append("\r\n")
            if let authority {
                out.append("Host: ")
                out.append(string: authority)
                out.append("\r\n")
            }
            // swift-http-types splits a `Cookie` value into one field per cookie (as HTTP/2 may);
            // HTTP/1.1 allows one `Cookie` line (RFC 6265 §5.4), so they are joined again with
            // "; " (RFC 9113 §8.2.3), in order, where the first one stood.
            var cookieWritten = false
            for index in 0..<count {
                let field = fields[index]
                guard field.name == .cookie else {
                    out.append(field: field)
                    continue
                }
                guard !cookieWritten else { continue }
                cookieWritten = true
                out.append(string: field.name.rawName)
                out.append(": ")
                var first = true
                for other in index..<count where fields[other].name == .cookie {
                    if !first { out.append("; ") }
                    first = false
                    fields[other].withUnsafeBytesOfValue { out.append(bytes: UnsafeRawBufferPointer($0)) }
                }
                out.append("\r\n")
            }
            for field in extraFields {
                out.append(field: field)
            }
            out.append("\r\n")
            return out.count
        }
    }

    /// Writes `status-line`, the header fields and the empty line; an empty reason phrase is
    /// replaced by the standard one for the code.
    @discardableResult
    public mutating func writeResponseHead(_ response: HTTPResponse, version: HTTPVersion = .http1_1) -> Int {
        self.writeResponseHead(response, version: version, serverFields: ServerFields())
    }

    /// Writes a response head with the fields a server owns in place of the response's own:
    /// framing and `Connection` replace any the response has, `Date` and `Server` are added only
    /// where it has none. One pass over the fields, straight into the buffer.
    @discardableResult
    public mutating func writeResponseHead(
        _ response: HTTPResponse,
        version: HTTPVersion = .http1_1,
        serverFields: ServerFields
    ) -> Int {
        self.writeResponseHead(response, status: response.status, version: version, serverFields: serverFields)
    }

    /// Writes a response head as ``writeResponseHead(_:version:serverFields:)`` does, with
    /// `status` in its status line: for a server that has read the response's status already
    /// (reading it out of an `HTTPResponse` is not free).
    @discardableResult
    public mutating func writeResponseHead(
        _ response: HTTPResponse,
        status: HTTPResponse.Status,
        version: HTTPVersion = .http1_1,
        serverFields: ServerFields
    ) -> Int {
        self.writeResponse(response, status: status, version: version, serverFields: serverFields, text: nil)
    }

    /// Writes a whole response: its head as ``writeResponseHead(_:status:version:serverFields:)``
    /// does, then `text` in UTF-8 as its body, in one pass into the buffer (a server answering
    /// with a short text). Returns the length of the head.
    @discardableResult
    public mutating func writeResponse(
        _ response: HTTPResponse,
        status: HTTPResponse.Status,
        version: HTTPVersion = .http1_1,
        serverFields: ServerFields,
        text: String
    ) -> Int {
        self.writeResponse(response, status: status, version: version, serverFields: serverFields, text: .some(text))
    }

    /// Writes the head, and `text` after it when given, with one reservation of room and one
    /// write into the buffer: each `ByteBuffer` write costs checks worth more than a short head.
    private mutating func writeResponse(
        _ response: HTTPResponse,
        status: HTTPResponse.Status,
        version: HTTPVersion,
        serverFields: ServerFields,
        text: String?
    ) -> Int {
        let code = status.code
        let reason = status.reasonPhrase.isEmpty ? ReasonPhrase.standard(for: code) ?? "" : status.reasonPhrase
        // The fields are read in place, by index: a copy of them, or an iterator, costs a
        // reference count each way.
        let count = response.headerFields.count
        var room = 15 + reason.utf8.count + serverFields.room + (text?.utf8.count ?? 0)
        for index in 0..<count {
            let field = response.headerFields[index]
            room += field.name.rawName.utf8.count + field.withUnsafeBytesOfValue { $0.count } + 4
        }
        var headLength = 0
        self.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { raw in
            var out = RawWriter(base: raw.baseAddress!)
            out.appendStatusLine(code: code, reason: reason, version: version)
            var hasDate = false
            var hasServer = false
            for index in 0..<count {
                let field = response.headerFields[index]
                switch ServerFields.role(of: field.name) {
                case .contentLength where serverFields.replacesFraming, .transferEncoding where serverFields.replacesFraming:
                    continue
                case .connection where serverFields.connection != nil: continue
                case .date: hasDate = true
                case .server: hasServer = true
                default: break
                }
                out.append(string: field.name.rawName)
                out.append(": ")
                field.withUnsafeBytesOfValue { out.append(bytes: UnsafeRawBufferPointer($0)) }
                out.append("\r\n")
            }
            out.appendServerFields(serverFields, date: !hasDate, server: !hasServer)
            headLength = out.count
            if let text { out.append(string: text) }
            return out.count
        }
        return headLength
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

    /// Throws unless every UTF-8 byte of `value` passes `allowed`.
    private static func check(
        _ value: String,
        part: String,
        allowed: (UInt8) -> Bool
    ) throws(HeaderInjectionError) {
        // Read from the contiguous bytes: through the UTF-8 view, ~20 instructions a byte.
        guard let index = value.withContiguousUTF8({ $0.firstIndex { !allowed($0) } }) else { return }
        throw HeaderInjectionError(part: part, value: value.withContiguousUTF8 { FieldSectionParser.printable($0) }, index: index)
    }
}

extension String {
    /// Runs `body` over the UTF-8 bytes, copying only a string that is not contiguous.
    func withContiguousUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let result = self.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
