import NIOCore

/// The fields of a part's header section that steer how it is read, found in one pass over the
/// section's bytes when the part starts, without building the other fields (a form field's
/// `Content-Disposition` is parsed only if its name is asked for).
///
/// A field given twice counts by its first line: a part has one type and one encoding.
struct PartFields {
    /// `Content-Type`, nil when absent.
    private(set) var contentType: String?
    /// `Content-Transfer-Encoding`, nil when absent.
    private(set) var transferEncoding: String?
    /// `Content-Encoding`, nil when absent.
    private(set) var contentEncoding: String?

    private static let contentTypeName = Array("content-type".utf8)
    private static let transferEncodingName = Array("content-transfer-encoding".utf8)
    private static let contentEncodingName = Array("content-encoding".utf8)

    /// The fields of `section`, a header section already checked by
    /// ``/AioWire/FieldSectionReader``: CRLF-ended lines of `name: value`, without folding.
    init(section: ByteBuffer) {
        section.withUnsafeReadableBytes { bytes in
            var start = 0
            while let lineFeed = bytes[start...].firstIndex(of: 0x0A) {
                let line = UnsafeRawBufferPointer(rebasing: bytes[start..<(lineFeed - 1)])
                start = lineFeed + 1
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
                switch name.count {
                case 12 where Self.matches(name, Self.contentTypeName) && self.contentType == nil:
                    self.contentType = Self.value(line, after: colon)
                case 25 where Self.matches(name, Self.transferEncodingName) && self.transferEncoding == nil:
                    self.transferEncoding = Self.value(line, after: colon)
                case 16 where Self.matches(name, Self.contentEncodingName) && self.contentEncoding == nil:
                    self.contentEncoding = Self.value(line, after: colon)
                default:
                    continue
                }
            }
        }
    }

    /// Whether `name` is `lowercased` but for case: the names here are letters and hyphens, and
    /// setting bit 5 lower-cases a letter and leaves a hyphen as it is.
    private static func matches(_ name: UnsafeRawBufferPointer, _ lowercased: [UInt8]) -> Bool {
        guard name.count == lowercased.count else { return false }
        for index in 0..<name.count where name[index] | 0x20 != lowercased[index] {
            return false
        }
        return true
    }

    /// The value of `line` after the colon at `colon`, without the spaces and tabs around it.
    private static func value(_ line: UnsafeRawBufferPointer, after colon: Int) -> String {
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, line[end - 1] == UInt8(ascii: " ") || line[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    }
}
