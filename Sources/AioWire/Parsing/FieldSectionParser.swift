import HTTPTypes
import NIOCore

/// Reads the field lines of a head or a trailer section, up to the empty line that ends it.
///
/// Each line is validated and turned into an ``HTTPField`` as soon as it is complete (RFC 9110
/// §5.1, §5.5 and RFC 9112 §5): the name must be a token directly followed by a colon, the
/// value may hold only VCHAR, obs-text, SP and HTAB, OWS around the value is dropped, and
/// obs-fold is refused.
struct FieldSectionParser: Sendable {
    /// Where the section sits, which decides the fields given special treatment.
    enum Kind: Sendable {
        /// A request head: `Host` moves to the request's authority instead of its fields.
        case requestHead
        /// A response head.
        case responseHead
        /// A trailer section: framing and routing fields are refused (RFC 9110 §6.5.1).
        case trailers
        /// The header section of a MIME body part: no field has a special role.
        case bodyPart
    }

    let kind: Kind
    /// The longest field line, the longest section (with the start line) and the most fields.
    private let maxLineLength: Int
    private let maxLength: Int
    private let maxFieldCount: Int
    /// Whether lines become fields, or are only checked (a body part whose fields are built
    /// later, if at all).
    var collectsFields = true
    /// The fields parsed so far.
    private var fields = HTTPFields()
    private(set) var framing = FramingFields()
    private var scanner = LineScanner()
    private var fieldCount = 0
    /// Bytes of the section consumed so far, plus the start line for heads.
    private var length = 0

    /// A parser for sections of `kind`, within `configuration`'s limits.
    init(kind: Kind, configuration: HTTPParserConfiguration) {
        self.kind = kind
        self.maxLineLength = configuration.maxFieldLineLength
        self.maxLength = configuration.maxHeadLength
        self.maxFieldCount = configuration.maxFieldCount
    }

    /// Starts a new section that follows `precedingLength` bytes of the same head.
    mutating func reset(precedingLength: Int) {
        self.fields = HTTPFields()
        self.framing = FramingFields()
        self.scanner = LineScanner()
        self.fieldCount = 0
        self.length = precedingLength
    }

    /// Hands over the parsed fields; the parser keeps no reference, so the receiver can change
    /// them without a copy.
    mutating func takeFields() -> HTTPFields {
        defer { self.fields = HTTPFields() }
        return self.fields
    }

    /// Consumes complete field lines; returns true once the empty line ending the section has
    /// been consumed.
    ///
    /// - Parameter base: the stream offset of `buffer`'s reader index.
    mutating func parse(_ buffer: inout ByteBuffer, base: Int) throws -> Bool {
        let (consumed, finished) = try buffer.withUnsafeReadableBytes { bytes -> (Int, Bool) in
            var start = 0
            while true {
                guard
                    let line = try self.scanner.nextLine(
                        in: bytes,
                        from: start,
                        base: base,
                        limit: self.maxLineLength,
                        part: .fieldLine
                    )
                else {
                    try self.checkLength(adding: bytes.count - start, at: base + start)
                    return (start, false)
                }
                try self.checkLength(adding: line.count + 2, at: base + line.lowerBound)
                self.length += line.count + 2
                start = line.upperBound + 2
                if line.isEmpty {
                    return (start, true)
                }
                self.fieldCount += 1
                if self.fieldCount > self.maxFieldCount {
                    throw BadHTTPMessage(
                        "More than \(self.maxFieldCount) header fields",
                        offset: base + line.lowerBound,
                        status: .requestHeaderFieldsTooLarge
                    )
                }
                try self.parseFieldLine(UnsafeRawBufferPointer(rebasing: bytes[line]), base: base + line.lowerBound)
            }
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return finished
    }

    /// Refuses `count` more bytes, starting at stream offset `offset`, when they would make the
    /// section longer than its limit; the error names the first byte past the limit.
    private func checkLength(adding count: Int, at offset: Int) throws {
        let limit = self.maxLength
        if self.length + count > limit {
            throw LineTooLong(.fieldSection, limit: limit, offset: offset + (limit - self.length))
        }
    }

    /// `field-line = field-name ":" OWS field-value OWS`.
    private mutating func parseFieldLine(_ line: UnsafeRawBufferPointer, base: Int) throws {
        let count = line.count
        var index = 0
        while index < count, HTTPByte.isTokenChar(line[index]) { index += 1 }
        guard index < count, line[index] == HTTPByte.colon, index > 0 else {
            throw Self.nameError(line, at: index, base: base)
        }
        let nameBytes = UnsafeRawBufferPointer(rebasing: line[..<index])
        index += 1
        while index < count, HTTPByte.isWhitespace(line[index]) { index += 1 }
        let valueStart = index
        let highBits = try Self.validateValue(line, from: valueStart, base: base) {
            Self.printable(nameBytes)
        }
        var valueEnd = count
        while valueEnd > valueStart, HTTPByte.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
        guard self.collectsFields else { return }

        let known = KnownFieldName.match(nameBytes)
        let role = self.kind == .bodyPart ? FieldRole.other : known?.role ?? .other
        if role != .other {
            if self.kind == .trailers, role == .contentLength || role == .transferEncoding || role == .host {
                throw InvalidHeader(
                    name: Self.printable(nameBytes),
                    message: "Field not allowed in trailers",
                    offset: base
                )
            }
            try self.framing.record(role, value: value, valueOffset: base + valueStart) {
                Self.printable(nameBytes)
            }
        }
        if role == .host, self.kind == .requestHead {
            // The first Host has passed `record`'s check, which admits ASCII only: its value is
            // the authority as it stands, with no field made for it.
            if self.framing.host == nil {
                self.framing.host = String(decoding: value, as: UTF8.self)
            }
            return
        }
        let name = known?.name ?? HTTPField.Name(String(decoding: nameBytes, as: UTF8.self))!
        let field: HTTPField
        if highBits == 0 {
            field = HTTPField(name: name, value: String(decoding: value, as: UTF8.self))
        } else {
            field = HTTPField(name: name, value: value)
        }
        if self.fields.isEmpty {
            // One allocation for a typical head instead of growing through 1, 2, 4, 8, 16; a
            // body part has a field or two.
            self.fields.reserveCapacity(self.kind == .bodyPart ? 4 : 16)
        }
        self.fields.append(field)
    }

    /// Checks that `line[start...]` holds only field-value bytes (VCHAR, obs-text, SP, HTAB) and
    /// returns the OR of its bytes above 0x7F (zero when the value is ASCII).
    ///
    /// Eight bytes at a time while they are all printable ASCII, the common case.
    @inline(__always)
    static func validateValue(
        _ line: UnsafeRawBufferPointer,
        from start: Int,
        base: Int,
        name: () -> String
    ) throws -> UInt8 {
        let count = line.count
        var index = start
        var highBits: UInt8 = 0
        while index < count {
            if index + 8 <= count, HTTPByte.isPrintableASCII(word: line.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = line[index]
            if byte >= 0x80 {
                highBits |= byte
            } else if !HTTPByte.isFieldValueChar(byte) {
                throw InvalidHeader(name: name(), message: "Invalid character in field value", offset: base + index)
            }
            index += 1
        }
        return highBits
    }

    /// The error for a field line whose name ends at `index` without a proper colon.
    private static func nameError(_ line: UnsafeRawBufferPointer, at index: Int, base: Int) -> any Error {
        let name = Self.printable(UnsafeRawBufferPointer(rebasing: line[..<index]))
        if index == 0, index < line.count, HTTPByte.isWhitespace(line[0]) {
            return InvalidHeader(name: "", message: "Obsolete line folding is not allowed", offset: base)
        }
        if index == 0 {
            return InvalidHeader(name: "", message: "Invalid header field name", offset: base)
        }
        if index == line.count {
            return InvalidHeader(name: name, message: "Field line without a colon", offset: base + index)
        }
        if HTTPByte.isWhitespace(line[index]) {
            return InvalidHeader(name: name, message: "Whitespace before the colon", offset: base + index)
        }
        return InvalidHeader(name: name, message: "Invalid character in field name", offset: base + index)
    }

    /// Bytes as a string for messages, anything outside printable ASCII escaped as `\xNN`.
    static func printable(_ bytes: UnsafeRawBufferPointer) -> String {
        var text = ""
        for byte in bytes.prefix(256) {
            if HTTPByte.isVisible(byte) || byte == HTTPByte.sp {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + Hex.string(CollectionOfOne(byte), uppercase: true)
            }
        }
        return text
    }
}
