import HTTPTypes
import NIOCore

/// Reads a header section that is not part of an HTTP head: the headers of a MIME body part
/// (RFC 2046 §5.1, RFC 7578 §4.8), with the same rules and limits as HTTP field lines.
///
/// Feed it bytes as they come; it consumes complete lines and returns the fields once the empty
/// line that ends the section has been read.
///
/// ```swift
/// var reader = FieldSectionReader()
/// if let headers = try reader.read(&buffer) { … }   // nil: more bytes needed
/// ```
public struct FieldSectionReader: Sendable {
    private var parser: FieldSectionParser
    private var consumed = 0

    /// A reader enforcing `configuration`'s field-line length, section length and field count.
    public init(configuration: HTTPParserConfiguration = HTTPParserConfiguration()) {
        self.parser = FieldSectionParser(kind: .bodyPart, configuration: configuration)
    }

    /// Consumes the complete lines in `buffer`; returns the fields once the section has ended,
    /// nil while it has not. Throws ``InvalidHeader`` or ``LineTooLong`` for a bad section.
    public mutating func read(_ buffer: inout ByteBuffer) throws -> HTTPFields? {
        try self.consume(&buffer) ? self.parser.takeFields() : nil
    }

    /// Consumes and checks the complete lines in `buffer` as ``read(_:)`` does, without building
    /// fields: for a caller that keeps the section's bytes and reads its fields only when asked.
    /// Returns true once the section has ended.
    public mutating func validate(_ buffer: inout ByteBuffer) throws -> Bool {
        self.parser.collectsFields = false
        return try self.consume(&buffer)
    }

    /// Parses the complete lines in `buffer`; true once the section has ended.
    private mutating func consume(_ buffer: inout ByteBuffer) throws -> Bool {
        let before = buffer.readableBytes
        let finished = try self.parser.parse(&buffer, base: self.consumed)
        self.consumed += before - buffer.readableBytes
        return finished
    }
}
