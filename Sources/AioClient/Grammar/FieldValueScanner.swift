/// Reads the parameter grammar shared by `WWW-Authenticate` (RFC 9110 §11.6.1) and `Link`
/// (RFC 8288 §3): tokens, `name=value` pairs whose value is a token or a quoted string, and the
/// separators between them. Lenient as browsers are: a malformed rest is left to the caller to
/// drop, never a crash.
struct FieldValueScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ value: String) {
        self.bytes = Array(value.utf8)
    }

    /// Whether everything has been read.
    var atEnd: Bool { self.index >= self.bytes.count }

    /// The next byte, unread.
    var next: UInt8? { self.atEnd ? nil : self.bytes[self.index] }

    /// Skips spaces and tabs.
    mutating func skipSpaces() {
        while let byte = self.next, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { self.index += 1 }
    }

    /// Skips spaces, tabs and `byte`s (empty list elements).
    mutating func skipSpaces(and byte: UInt8) {
        while let next = self.next, next == byte || next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") { self.index += 1 }
    }

    /// Consumes `byte` when it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard self.next == byte else { return false }
        self.index += 1
        return true
    }

    /// The bytes up to the next space, tab, `,`, `;`, `=` or `"` (possibly none).
    mutating func token() -> String {
        let start = self.index
        while let byte = self.next, !Self.delimiters.contains(byte) { self.index += 1 }
        return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
    }

    /// The bytes up to `byte`, which is consumed; nil (nothing consumed) when it never comes.
    mutating func text(upTo byte: UInt8) -> String? {
        guard let end = self.bytes[self.index...].firstIndex(of: byte) else { return nil }
        defer { self.index = end + 1 }
        return String(decoding: self.bytes[self.index..<end], as: UTF8.self)
    }

    /// A parameter's value: a quoted string (its escapes undone; an unterminated one runs to the
    /// end) or a token.
    mutating func value() -> String {
        guard self.consume(UInt8(ascii: "\"")) else { return self.token() }
        var value: [UInt8] = []
        while let byte = self.next, byte != UInt8(ascii: "\"") {
            self.index += 1
            if byte == UInt8(ascii: "\\"), let escaped = self.next {
                self.index += 1
                value.append(escaped)
            } else {
                value.append(byte)
            }
        }
        _ = self.consume(UInt8(ascii: "\""))
        return String(decoding: value, as: UTF8.self)
    }

    /// A `name=value` pair with the name lowercased, spaces allowed around `=`; nil (nothing
    /// consumed) when what follows is not one.
    mutating func parameter() -> (name: String, value: String)? {
        let mark = self.index
        self.skipSpaces()
        let name = self.token()
        self.skipSpaces()
        guard !name.isEmpty, self.consume(UInt8(ascii: "=")) else {
            self.index = mark
            return nil
        }
        self.skipSpaces()
        return (name.lowercased(), self.value())
    }

    private static let delimiters: Set<UInt8> = [
        UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "\""),
    ]
}
