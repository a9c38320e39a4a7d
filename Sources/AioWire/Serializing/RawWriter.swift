import HTTPTypes

/// Appends bytes at a raw pointer; the caller reserved the room.
struct RawWriter {
    let base: UnsafeMutableRawPointer
    private(set) var count = 0

    init(base: UnsafeMutableRawPointer) {
        self.base = base
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        self.base.storeBytes(of: byte, toByteOffset: self.count, as: UInt8.self)
        self.count += 1
    }

    @inline(__always)
    mutating func append(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (self.base + self.count).copyMemory(from: source, byteCount: bytes.count)
        self.count += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        self.append(bytes: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(string: String) {
        string.withContiguousUTF8 { self.append(bytes: $0) }
    }

    /// `name: value` and CRLF.
    @inline(__always)
    mutating func append(field: HTTPField) {
        self.append(string: field.name.rawName)
        self.append(": ")
        field.withUnsafeBytesOfValue { self.append(bytes: UnsafeRawBufferPointer($0)) }
        self.append("\r\n")
    }

    /// `HTTP/x.y`.
    mutating func append(version: HTTPVersion) {
        self.append("HTTP/")
        self.append(byte: UInt8(truncatingIfNeeded: 0x30 + version.major))
        self.append(byte: UInt8(ascii: "."))
        self.append(byte: UInt8(truncatingIfNeeded: 0x30 + version.minor))
    }

    /// `HTTP/x.y code reason` and CRLF.
    mutating func appendStatusLine(code: Int, reason: String, version: HTTPVersion) {
        self.append(version: version)
        self.append(byte: HTTPByte.sp)
        self.append(byte: UInt8(truncatingIfNeeded: 0x30 + code / 100))
        self.append(byte: UInt8(truncatingIfNeeded: 0x30 + code / 10 % 10))
        self.append(byte: UInt8(truncatingIfNeeded: 0x30 + code % 10))
        self.append(byte: HTTPByte.sp)
        // The reason phrase is ISO Latin 1; swift-http-types has already replaced anything else.
        for scalar in reason.unicodeScalars { self.append(byte: UInt8(truncatingIfNeeded: scalar.value)) }
        self.append("\r\n")
    }

    /// The server's framing and `Connection`, `Date` and `Server` when asked, and the empty
    /// line (at most ``ServerFields/room`` bytes).
    mutating func appendServerFields(_ fields: ServerFields, date writesDate: Bool, server writesServer: Bool) {
        switch fields.framing {
        case .contentLength(let length):
            self.append("Content-Length: ")
            self.append(decimal: length)
            self.append("\r\n")
        case .chunked:
            self.append("Transfer-Encoding: chunked\r\n")
        case .none, .asIs:
            break
        }
        if let connection = fields.connection {
            self.append("Connection: ")
            self.append(string: connection)
            self.append("\r\n")
        }
        if writesDate, let date = fields.date {
            self.append("Date: ")
            self.append(string: date)
            self.append("\r\n")
        }
        if writesServer, let server = fields.server {
            self.append("Server: ")
            self.append(string: server)
            self.append("\r\n")
        }
        self.append("\r\n")
    }

    mutating func append(decimal value: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value
        var length = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - length] = UInt8(truncatingIfNeeded: 0x30 + remaining % 10)
                remaining /= 10
                length += 1
            } while remaining > 0
            self.append(bytes: UnsafeRawBufferPointer(rebasing: buffer[(20 - length)...]))
        }
    }
}
