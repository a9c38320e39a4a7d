#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioWire
import HTTPTypes
import NIOCore

/// Builds a multipart body from parts and writes it as it streams, as aiohttp's
/// `MultipartWriter`.
///
/// The boundary is random unless given, and every in-memory payload is checked not to contain
/// it. ``contentLength`` is known when every part's size is; otherwise send the body chunked.
///
/// ```swift
/// var writer = try MultipartWriter(subtype: "form-data")
/// try writer.append(text: "hello", disposition: ("form-data", [("name", "greeting")]))
/// try writer.append(file: "/tmp/photo.jpg", contentType: "image/jpeg",
///                   disposition: ("form-data", [("name", "photo"), ("filename", "photo.jpg")]))
/// try await writer.write { chunk in try await response.write(chunk) }
/// ```
public struct MultipartWriter: Sendable {
    /// The subtype: `mixed`, `form-data`, `related` …
    public let subtype: String
    /// The boundary between parts.
    public let boundary: String
    /// The parts, in order.
    public private(set) var parts: [BodyPartWriter] = []

    /// A writer for `multipart/<subtype>`; a random 32-character boundary unless one is given.
    ///
    /// - Throws: ``MultipartError`` for a boundary that RFC 2046 does not allow.
    public init(subtype: String = "mixed", boundary: String? = nil) throws {
        let boundary = boundary ?? Self.randomBoundary()
        _ = try MultipartBoundary.check(boundary)
        self.subtype = subtype
        self.boundary = boundary
    }

    /// The `Content-Type` for the body, boundary included.
    public var contentType: String {
        let plain = HTTPToken.isToken(self.boundary)
        return "multipart/\(self.subtype); boundary=\(plain ? self.boundary : quotedString(self.boundary))"
    }

    /// Adds `part`.
    ///
    /// - Throws: ``MultipartError`` when an in-memory payload contains the boundary.
    public mutating func append(_ part: BodyPartWriter) throws {
        if case .bytes(let buffer) = part.payload,
            buffer.readableBytesView.firstRange(of: Array("--\(self.boundary)".utf8)) != nil
        {
            throw MultipartError("A part contains the multipart boundary")
        }
        self.parts.append(part)
    }

    /// Adds text, as `text/plain; charset=utf-8` unless told otherwise.
    public mutating func append(
        text: String,
        contentType: String = "text/plain; charset=utf-8",
        disposition: (type: String, parameters: [(String, String)])? = nil
    ) throws {
        try self.append(bytes: ByteBuffer(string: text), contentType: contentType, disposition: disposition)
    }

    /// Adds bytes, as `application/octet-stream` unless told otherwise.
    public mutating func append(
        bytes: ByteBuffer,
        contentType: String = "application/octet-stream",
        disposition: (type: String, parameters: [(String, String)])? = nil,
        transferEncoding: TransferEncoding? = nil,
        contentEncoding: ContentEncoding? = nil
    ) throws {
        var part = BodyPartWriter(.bytes(bytes), headers: [.contentType: contentType], transferEncoding: transferEncoding, contentEncoding: contentEncoding)
        if let disposition { try part.setContentDisposition(disposition.type, parameters: disposition.parameters) }
        try self.append(part)
    }

    /// Adds a value encoded as JSON.
    public mutating func append(
        json value: some Encodable,
        encoder: JSONEncoder = JSONEncoder(),
        disposition: (type: String, parameters: [(String, String)])? = nil
    ) throws {
        try self.append(bytes: ByteBuffer(bytes: try encoder.encode(value)), contentType: "application/json", disposition: disposition)
    }

    /// Adds fields as an `application/x-www-form-urlencoded` part.
    public mutating func append(
        form fields: [(String, String)],
        disposition: (type: String, parameters: [(String, String)])? = nil
    ) throws {
        try self.append(
            bytes: ByteBuffer(string: FormEncoding.encode(fields)),
            contentType: "application/x-www-form-urlencoded",
            disposition: disposition
        )
    }

    /// Adds the contents of the file at `path`, read as the body is written.
    public mutating func append(
        file path: String,
        contentType: String = "application/octet-stream",
        disposition: (type: String, parameters: [(String, String)])? = nil
    ) throws {
        var part = BodyPartWriter(.file(path: path), headers: [.contentType: contentType])
        if let disposition { try part.setContentDisposition(disposition.type, parameters: disposition.parameters) }
        try self.append(part)
    }

    /// Adds bytes produced by `stream` as the body is written; `length` when it is known.
    public mutating func append(
        stream: some AsyncSequence<ByteBuffer, any Error> & Sendable,
        length: Int? = nil,
        contentType: String = "application/octet-stream",
        disposition: (type: String, parameters: [(String, String)])? = nil
    ) throws {
        var part = BodyPartWriter(.stream(stream, length: length), headers: [.contentType: contentType])
        if let disposition { try part.setContentDisposition(disposition.type, parameters: disposition.parameters) }
        try self.append(part)
    }

    /// Adds a nested multipart body.
    public mutating func append(
        multipart writer: MultipartWriter,
        disposition: (type: String, parameters: [(String, String)])? = nil
    ) throws {
        guard writer.boundary != self.boundary else { throw MultipartError("A nested body needs its own boundary") }
        var part = BodyPartWriter(.multipart(writer), headers: [.contentType: writer.contentType])
        if let disposition { try part.setContentDisposition(disposition.type, parameters: disposition.parameters) }
        try self.append(part)
    }

    /// The body's length in bytes when every part's size is known before writing.
    public var contentLength: Int? {
        var total = self.closing.readableBytes
        for part in self.parts {
            guard let size = part.size else { return nil }
            total += self.head(of: part).readableBytes + size + 2
        }
        return total
    }

    /// Writes the body to `sink`, piece by piece, waiting for each write: a slow receiver
    /// slows the reading of files and streams.
    public func write(to sink: (ByteBuffer) async throws -> Void) async throws {
        for part in self.parts {
            try await sink(self.head(of: part))
            try await part.writePayload(to: sink)
            try await sink(ByteBuffer(string: "\r\n"))
        }
        try await sink(self.closing)
    }

    /// The whole body in memory, for small bodies and tests.
    public func collect() async throws -> ByteBuffer {
        var body = ByteBuffer()
        try await self.write { piece in
            var piece = piece
            body.writeBuffer(&piece)
        }
        return body
    }

    /// `--boundary`, the part's header fields and the empty line.
    private func head(of part: BodyPartWriter) -> ByteBuffer {
        var head = ByteBuffer()
        head.writeString("--\(self.boundary)\r\n")
        for field in part.writtenHeaders {
            head.writeString("\(field.name.rawName): ")
            field.withUnsafeBytesOfValue { _ = head.writeBytes($0) }
            head.writeString("\r\n")
        }
        head.writeString("\r\n")
        return head
    }

    private var closing: ByteBuffer { ByteBuffer(string: "--\(self.boundary)--\r\n") }

    private static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in Hex.string(generator.next() as UInt64, width: 16) }.joined()
    }
}
