import NIOCore

/// The character sets text bodies, form fields and header parameters are read in: UTF-8,
/// ISO-8859-1 and US-ASCII, by their common names.
public enum TextCharset: Sendable, Hashable {
    /// UTF-8, the default everywhere here.
    case utf8
    /// ISO-8859-1, one character per byte.
    case latin1
    /// US-ASCII: bytes above 0x7F are refused.
    case ascii

    /// The charset called `name` (case-insensitive: `utf-8`, `utf8`, `iso-8859-1`, `latin-1`,
    /// `us-ascii` …); nil for one this package does not read.
    public init?(_ name: some StringProtocol) {
        if name == "utf-8" {
            self = .utf8
            return
        }
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1": self = .latin1
        case "us-ascii", "ascii": self = .ascii
        default: return nil
        }
    }

    /// `bytes` as text; nil when they are not valid in this charset.
    public func decode(_ bytes: some Collection<UInt8>) -> String? {
        switch self {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .latin1:
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case .ascii:
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The readable bytes of `buffer` as text; nil when they are not valid in this charset.
    public func decode(_ buffer: ByteBuffer) -> String? {
        buffer.withUnsafeReadableBytes { bytes in
            // ASCII, the usual form field, reads the same in every charset here.
            Self.isASCII(bytes) ? String(decoding: bytes, as: UTF8.self) : self.decode(bytes)
        }
    }

    /// Whether no byte of `bytes` is above 0x7F, eight at a time.
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// `text` as bytes; nil when a character cannot be written in this charset.
    public func encode(_ text: String) -> [UInt8]? {
        let limit: UInt32
        switch self {
        case .utf8: return Array(text.utf8)
        case .latin1: limit = 0x100
        case .ascii: limit = 0x80
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < limit else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}
