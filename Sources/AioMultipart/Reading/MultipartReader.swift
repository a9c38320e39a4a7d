import AioStreams
import AioWire
import HTTPTypes
import NIOCore

/// Reads a multipart body (RFC 2046 §5.1, RFC 7578) part by part as it streams in, as
/// aiohttp's `MultipartReader`.
///
/// ``next()`` gives each part in turn, a ``BodyPartReader`` or, for a `multipart/*` part such
/// as `multipart/mixed` inside form data, a nested `MultipartReader`; moving on skips what was
/// not read of the previous part. Nothing is buffered beyond the piece being parsed, so a
/// file of any size streams through in constant memory.
///
/// ```swift
/// let reader = try MultipartReader(headers: request.headers, body: request.body)
/// while let part = try await reader.next() {
///     guard case .part(let part) = part else { continue }
///     for try await chunk in part { … }       // decoded bytes of the part
/// }
/// ```
///
/// A body without the closing boundary is a ``MultipartError``, never silently cut short.
public final class MultipartReader {
    /// One part of a multipart body.
    public enum Part {
        /// A leaf part.
        case part(BodyPartReader)
        /// A part that is a multipart body itself.
        case multipart(MultipartReader)
    }

    /// Where the reader is. Parts are known by number and nested readers weakly: a part and a
    /// nested reader hold their reader, never the other way round, so dropping a reader midway
    /// frees it all.
    private enum State {
        case start
        case between
        case inPart(number: Int)
        case inNested
        case closed
    }

    /// The header fields of the body: the request's, or the part's for a nested body.
    public let headers: HTTPFields
    /// The boundary from `Content-Type`.
    public let boundary: String
    let stream: MultipartStream
    /// `CRLF--boundary`: the CRLF before a boundary belongs to it (RFC 2046 §5.1.1).
    let delimiter: [UInt8]
    private let parent: MultipartReader?
    private var state = State.start
    private weak var nested: MultipartReader?
    private var partNumber = 0

    /// A reader for `body`, with the boundary taken from the `Content-Type` in `headers`.
    ///
    /// - Throws: ``MultipartError`` when `Content-Type` is not `multipart/*` or its boundary is
    ///   missing or invalid.
    public convenience init<Source: AsyncSequence>(
        headers: HTTPFields,
        body: Source,
        configuration: MultipartConfiguration = MultipartConfiguration()
    ) throws where Source.Element == ByteBuffer {
        let boundary = try Self.boundary(of: headers)
        self.init(headers: headers, boundary: boundary, stream: MultipartStream(ByteStream(body), configuration: configuration), parent: nil)
    }

    /// A reader for `body` with a boundary known beforehand, checked as the one in
    /// `Content-Type` would be.
    ///
    /// - Throws: ``MultipartError`` for a boundary RFC 2046 does not allow.
    public convenience init<Source: AsyncSequence>(
        boundary: String,
        body: Source,
        configuration: MultipartConfiguration = MultipartConfiguration()
    ) throws where Source.Element == ByteBuffer {
        let boundary = try MultipartBoundary.check(boundary)
        let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        self.init(headers: headers, boundary: boundary, stream: MultipartStream(ByteStream(body), configuration: configuration), parent: nil)
    }

    init(headers: HTTPFields, boundary: String, stream: MultipartStream, parent: MultipartReader?) {
        self.headers = headers
        self.boundary = boundary
        self.stream = stream
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        self.parent = parent
    }

    /// Whether the closing boundary has been read.
    public var atEOF: Bool {
        if case .closed = self.state { return true }
        return false
    }

    /// The next part, or nil after the last one. Whatever was left of the previous part is
    /// skipped.
    public func next() async throws -> Part? {
        switch self.state {
        case .start:
            try await self.readOpeningDelimiter()
        case .between:
            break
        case .inPart:
            while try await self.readPartBytes(65536) != nil {}
        case .inNested:
            if let nested = self.nested {
                try await nested.release()
            } else {
                // The nested body cannot hold this body's boundary: skipping to it skips the rest.
                let end = try await self.stream.skip(to: self.delimiter, atStart: false, missing: "Missing closing boundary '\(self.boundary)'")
                try await self.reached(end)
            }
        case .closed:
            break
        }
        guard case .between = self.state else { return nil }
        let section = try await self.stream.readPartHeaders()
        let fields = PartFields(section: section)
        if let contentType = fields.contentType.map(parseMimetype), contentType.type == "multipart" {
            let nested = MultipartReader(
                headers: self.stream.fields(of: section),
                boundary: try Self.boundary(of: contentType),
                stream: self.stream,
                parent: self
            )
            self.nested = nested
            self.state = .inNested
            return .multipart(nested)
        }
        self.partNumber += 1
        self.state = .inPart(number: self.partNumber)
        return .part(BodyPartReader(section: section, fields: fields, reader: self, number: self.partNumber))
    }

    /// Reads and drops the rest of the body up to and including the closing boundary.
    public func release() async throws {
        while try await self.next() != nil {}
    }

    /// Whether part `number` is the one being read.
    func isReading(part number: Int) -> Bool {
        if case .inPart(number) = self.state { return true }
        return false
    }

    /// Raw bytes of the current part, at most `maxCount`; nil once its end, the next boundary,
    /// has been read.
    func readPartBytes(_ maxCount: Int) async throws -> ByteBuffer? {
        if let bytes = try await self.stream.readSome(maxCount, before: self.delimiter) {
            return bytes
        }
        let (end, data) = try await self.stream.readDelimiter(self.delimiter)
        if let data { return data }
        try await self.reached(end)
        return nil
    }

    /// The rest of the current part's raw bytes, at most `limit`, read through the boundary that
    /// ends it: one parsing step when the part is buffered whole, as a small field is.
    func readRestOfPart(upTo limit: Int) async throws -> ByteBuffer {
        let (data, end) = try await self.stream.read(through: self.delimiter, limit: limit)
        try await self.reached(end)
        return data
    }

    /// Skips the preamble up to the first boundary; the body may start with it directly.
    private func readOpeningDelimiter() async throws {
        let end = try await self.stream.skip(to: self.delimiter, atStart: true, missing: "No boundary '\(self.boundary)' in the body")
        try await self.reached(end)
    }

    /// Moves on after a boundary: to the next part's headers, or past the closing one to the
    /// epilogue, which for a nested body runs to the parent's next boundary and so ends the
    /// part the nested body was.
    @inline(__always)
    private func reached(_ end: MultipartStream.BoundaryEnd) async throws {
        guard case .close = end else {
            self.state = .between
            return
        }
        try await self.closed()
    }

    /// Past the closing boundary: skips the epilogue (or, nested, the rest of the parent's part).
    @inline(never)
    private func closed() async throws {
        self.state = .closed
        if let parent {
            let parentEnd = try await self.stream.skip(
                to: parent.delimiter,
                atStart: false,
                missing: "Missing closing boundary '\(parent.boundary)'"
            )
            try await parent.reached(parentEnd)
        } else {
            try await self.stream.skipToEnd()
        }
    }

    /// The boundary parameter of a `multipart/*` type in `headers`.
    static func boundary(of headers: HTTPFields) throws -> String {
        guard let value = headers[.contentType] else { throw MultipartError("No Content-Type for a multipart body") }
        let type = parseMimetype(value)
        guard type.type == "multipart" else { throw MultipartError("Content-Type \(type.essence) is not multipart") }
        return try Self.boundary(of: type)
    }

    /// The boundary of `type`, checked with ``MultipartBoundary/check(_:)``.
    static func boundary(of type: MimeType) throws -> String {
        guard let boundary = type.parameters["boundary"] else { throw MultipartError("No boundary in Content-Type") }
        return try MultipartBoundary.check(boundary)
    }
}
