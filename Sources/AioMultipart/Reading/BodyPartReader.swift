#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioWire
import HTTPTypes
import NIOCore

/// One part of a multipart body, read as it streams in, as aiohttp's `BodyPartReader`.
///
/// Raw bytes come from ``readChunk(size:)`` and ``readLine()``; iterating the reader, or
/// ``read(decode:upTo:)`` with `decode`, gives the bytes with `Content-Transfer-Encoding`
/// (base64, quoted-printable) and `Content-Encoding` (gzip, deflate) undone, streaming.
/// ``text(encoding:upTo:)``, ``json(as:decoder:upTo:)`` and ``form(upTo:)`` read the part whole,
/// up to a limit. What is not read is skipped by ``release()`` or by moving to the next part.
public final class BodyPartReader: AsyncSequence {
    public typealias Element = ByteBuffer

    /// The part's header fields, built from its header section the first time they are asked
    /// for.
    public private(set) lazy var headers: HTTPFields = self.reader.stream.fields(of: self.section)
    /// The header section as it arrived, checked.
    private let section: ByteBuffer
    private let fields: PartFields
    private let reader: MultipartReader
    /// The part's number in its reader, which tells whether the reader has moved on.
    private let number: Int
    /// Raw bytes handed back by ``readLine()``, read before the stream.
    private var pending = ByteBuffer()
    private var decoder: PartDecoder?
    /// Whether the boundary after the part has been read.
    public private(set) var atEOF = false

    init(section: ByteBuffer, fields: PartFields, reader: MultipartReader, number: Int) {
        self.section = section
        self.fields = fields
        self.reader = reader
        self.number = number
    }

    /// The parsed `Content-Disposition`, nil when it is missing or malformed.
    public private(set) lazy var contentDisposition: ContentDisposition? = self.headers.first {
        $0.name == .contentDisposition
    }.flatMap { field in
        // The octets, not the text: a quoted ISO-8859-1 file name is not UTF-8.
        field.withUnsafeBytesOfValue { parseContentDisposition($0) }
    }

    /// The form field name, from `Content-Disposition`.
    public var name: String? { self.contentDisposition?.name }

    /// The file name, from `Content-Disposition` (`filename*` preferred).
    public var filename: String? { self.contentDisposition?.filename }

    /// The parsed `Content-Type`; `text/plain` when there is none (RFC 2046 §5.1).
    public var contentType: MimeType {
        self.fields.contentType.map(parseMimetype) ?? MimeType(type: "text", subtype: "plain")
    }

    /// At most `size` raw bytes of the part, as they arrived; nil once the part has ended.
    public func readChunk(size: Int = 65536) async throws -> ByteBuffer? {
        if self.pending.readableBytes > 0 {
            return self.pending.readSlice(length: Swift.min(size, self.pending.readableBytes))
        }
        guard !self.atEOF, self.reader.isReading(part: self.number) else {
            self.atEOF = true
            return nil
        }
        if let bytes = try await self.reader.readPartBytes(size) {
            return bytes
        }
        self.atEOF = true
        return nil
    }

    /// The next raw line, its line feed included; nil once the part has ended.
    ///
    /// - Throws: ``/AioWire/LineTooLong`` for a line longer than the configured `maxLineLength`.
    public func readLine() async throws -> ByteBuffer? {
        let limit = self.reader.stream.configuration.maxLineLength
        var line = ByteBuffer()
        while true {
            guard var chunk = try await self.readChunk(size: limit) else {
                return line.readableBytes > 0 ? line : nil
            }
            if let newline = chunk.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - chunk.readerIndex + 1
                line.writeImmutableBuffer(chunk.readSlice(length: length)!)
                if chunk.readableBytes > 0 {
                    chunk.writeBuffer(&self.pending)
                    self.pending = chunk
                }
                return line
            }
            line.writeBuffer(&chunk)
            guard line.readableBytes <= limit else { throw LineTooLong(.line, limit: limit) }
        }
    }

    /// The next decoded piece of the part; nil once the part has ended.
    public func readDecodedChunk(size: Int = 65536) async throws -> ByteBuffer? {
        if try self.isIdentity() {
            return try await self.readChunk(size: size)
        }
        while true {
            guard let chunk = try await self.readChunk(size: size) else {
                guard var decoder = self.decoder else { return nil }
                self.decoder = nil
                let tail = try decoder.finish()
                return tail.readableBytes > 0 ? tail : nil
            }
            let decoded = try self.decoder!.decode(chunk)
            if decoded.readableBytes > 0 { return decoded }
        }
    }

    /// Whether the part's bytes need no decoding; makes the decoder the headers ask for.
    private func isIdentity() throws -> Bool {
        if self.decoder == nil {
            self.decoder = try PartDecoder(self.fields, limit: self.reader.stream.configuration.maxDecompressedSize)
        }
        return self.decoder!.isIdentity
    }

    /// The rest of the part, decoded when `decode` is set, at most `limit` bytes
    /// (``MultipartConfiguration/maxFieldSize`` unless given).
    ///
    /// - Throws: ``MultipartError`` (413) past the limit.
    public func read(decode: Bool = false, upTo limit: Int? = nil) async throws -> ByteBuffer {
        let limit = limit ?? self.reader.stream.configuration.maxFieldSize
        let decode = try decode && !self.isIdentity()
        if !decode, self.pending.readableBytes == 0, !self.atEOF, self.reader.isReading(part: self.number) {
            // Raw bytes are what is kept: the rest of the part in one step.
            let rest = try await self.reader.readRestOfPart(upTo: limit)
            self.atEOF = true
            return rest
        }
        var whole = ByteBuffer()
        while var chunk = try await (decode ? self.readDecodedChunk() : self.readChunk()) {
            guard whole.readableBytes + chunk.readableBytes <= limit else {
                throw MultipartError.partTooLarge(limit: limit)
            }
            if whole.readableBytes == 0 {
                whole = chunk
            } else {
                whole.writeBuffer(&chunk)
            }
        }
        return whole
    }

    /// The decoded part as text in `encoding`, or the `charset` of its `Content-Type`, or UTF-8.
    ///
    /// - Throws: ``MultipartError`` for an unknown charset or bytes not valid in it.
    public func text(encoding: String? = nil, upTo limit: Int? = nil) async throws -> String {
        let name = encoding ?? self.fields.contentType.flatMap { parseMimetype($0).parameters["charset"] } ?? "utf-8"
        guard let charset = TextCharset(name) else { throw MultipartError("Unsupported charset: \(name)") }
        let bytes = try await self.read(decode: true, upTo: limit)
        guard let text = charset.decode(bytes) else { throw MultipartError("A part is not valid \(name)") }
        return text
    }

    /// The decoded part as JSON of type `type`; malformed JSON is a 400.
    public func json<Value: Decodable>(
        as type: Value.Type,
        decoder: JSONDecoder = JSONDecoder(),
        upTo limit: Int? = nil
    ) async throws -> Value {
        let bytes = try await self.read(decode: true, upTo: limit)
        do {
            return try decoder.decode(type, from: Data(bytes.readableBytesView))
        } catch {
            throw MultipartError("Invalid JSON in part \(self.name ?? ""): \(error)")
        }
    }

    /// The decoded part as `application/x-www-form-urlencoded` fields.
    public func form(upTo limit: Int? = nil) async throws -> MultiDict<String> {
        FormEncoding.decode(try await self.text(upTo: limit))
    }

    /// Reads and drops the rest of the part.
    public func release() async throws {
        self.pending.clear()
        while try await self.readChunk() != nil {}
    }

    /// Iterates the decoded bytes of the part.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let part: BodyPartReader

        public mutating func next() async throws -> ByteBuffer? {
            try await self.part.readDecodedChunk()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(part: self)
    }
}
