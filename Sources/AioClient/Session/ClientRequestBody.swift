import AioMultipart
import AioStreams
import NIOCore

/// What a request sends, as aiohttp's `data=`/`json=` arguments: bytes, text, JSON, a form, a
/// file or an async stream. Bytes, text, JSON, forms without streamed parts and files can be sent
/// again (for a redirect that keeps the body, or a retry); a stream cannot.
public struct ClientRequestBody: Sendable {
    enum Content: Sendable {
        case bytes(ByteBuffer)
        case multipart(MultipartWriter)
        /// A file or a stream, written as a part's payload is.
        case part(BodyPartWriter)
        /// Another body compressed as it is written.
        indirect case compressed(ClientRequestBody, RequestCompression)
    }

    let content: Content
    /// The `Content-Type` sent unless the request's fields name one.
    let contentType: String?

    /// `buffer` as it is, `application/octet-stream` unless `contentType` says otherwise.
    public static func bytes(_ buffer: ByteBuffer, contentType: String? = "application/octet-stream") -> ClientRequestBody {
        ClientRequestBody(content: .bytes(buffer), contentType: contentType)
    }

    /// `bytes` as they are.
    public static func bytes(_ bytes: some Sequence<UInt8>, contentType: String? = "application/octet-stream") -> ClientRequestBody {
        ClientRequestBody(content: .bytes(ByteBuffer(bytes: bytes)), contentType: contentType)
    }

    /// `text` in UTF-8, `text/plain; charset=utf-8` unless `contentType` says otherwise.
    public static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> ClientRequestBody {
        ClientRequestBody(content: .bytes(ByteBuffer(string: text)), contentType: contentType)
    }

    /// `value` as JSON (`application/json`).
    ///
    /// - Throws: `EncodingError` when `value` cannot be encoded.
    public static func json(_ value: some Encodable) throws -> ClientRequestBody {
        var buffer = ByteBuffer()
        try JSONBufferEncoder().encode(value, into: &buffer)
        return ClientRequestBody(content: .bytes(buffer), contentType: "application/json")
    }

    /// `form` urlencoded, or as `multipart/form-data` when it holds a file or a stream.
    ///
    /// - Throws: the form's encoding errors (a field name that cannot be written).
    public static func form(_ form: FormData) throws -> ClientRequestBody {
        switch try form.encode() {
        case .urlencoded(let buffer): ClientRequestBody(content: .bytes(buffer), contentType: "application/x-www-form-urlencoded")
        case .multipart(let writer): ClientRequestBody(content: .multipart(writer), contentType: writer.contentType)
        }
    }

    /// A multipart body as written by `writer`.
    public static func multipart(_ writer: MultipartWriter) -> ClientRequestBody {
        ClientRequestBody(content: .multipart(writer), contentType: writer.contentType)
    }

    /// The file at `path`, read as it is sent.
    public static func file(_ path: String, contentType: String? = "application/octet-stream") -> ClientRequestBody {
        ClientRequestBody(content: .part(BodyPartWriter(.file(path: path))), contentType: contentType)
    }

    /// Bytes produced by `stream` as the body is sent: with `Content-Length` when `length` is
    /// given, chunked otherwise. Cannot be sent twice.
    public static func stream(
        _ stream: some AsyncSequence<ByteBuffer, any Error> & Sendable,
        length: Int? = nil,
        contentType: String? = "application/octet-stream"
    ) -> ClientRequestBody {
        ClientRequestBody(content: .part(BodyPartWriter(.stream(stream, length: length))), contentType: contentType)
    }

    /// This body compressed with `coding`: bytes at once (their length known), anything else as
    /// it is written (chunked).
    ///
    /// - Throws: zlib's failure to start.
    func compressed(_ coding: RequestCompression) throws -> ClientRequestBody {
        guard case .bytes(let buffer) = self.content else {
            return ClientRequestBody(content: .compressed(self, coding), contentType: self.contentType)
        }
        return ClientRequestBody(content: .bytes(try StreamCompressor(coding.format).finish(buffer)), contentType: self.contentType)
    }

    /// The body's length when known before sending it; nil sends it chunked.
    var length: Int? {
        switch self.content {
        case .bytes(let buffer): buffer.readableBytes
        case .multipart(let writer): writer.contentLength
        case .part(let part): part.size
        case .compressed: nil
        }
    }

    /// Whether the body can be sent again.
    var isReplayable: Bool {
        func replayable(_ part: BodyPartWriter) -> Bool {
            switch part.payload {
            case .stream: false
            case .bytes, .file: true
            case .multipart(let writer): writer.parts.allSatisfy(replayable)
            }
        }
        return switch self.content {
        case .bytes: true
        case .multipart(let writer): writer.parts.allSatisfy(replayable)
        case .part(let part): replayable(part)
        case .compressed(let body, _): body.isReplayable
        }
    }

    /// The bytes when they are all in memory: sent with the head in one write.
    var buffer: ByteBuffer? {
        if case .bytes(let buffer) = self.content { return buffer }
        return nil
    }

    /// Hands the body to `sink` piece by piece.
    func write(to sink: (ByteBuffer) async throws -> Void) async throws {
        switch self.content {
        case .bytes(let buffer): try await sink(buffer)
        case .multipart(let writer): try await writer.write(to: sink)
        case .part(let part): try await part.writePayload(to: sink)
        case .compressed(let body, let coding):
            let compressor = try StreamCompressor(coding.format)
            try await body.write { piece in
                let compressed = try compressor.compress(piece)
                if compressed.readableBytes > 0 { try await sink(compressed) }
            }
            try await sink(try compressor.finish())
        }
    }
}
