#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HTTPTypes
import NIOCore
import NIOFileSystem

/// One part of a multipart body to be written, as aiohttp's `BodyPartWriter`: header fields,
/// a payload, and optional transfer and content encodings applied as it streams out.
public struct BodyPartWriter: Sendable {
    /// What a part holds.
    public enum Payload: Sendable {
        /// Bytes in memory.
        case bytes(ByteBuffer)
        /// Bytes produced as they are written, with their count when known.
        case stream(any AsyncSequence<ByteBuffer, any Error> & Sendable, length: Int?)
        /// The contents of a file, read as they are written.
        case file(path: String)
        /// A nested multipart body.
        case multipart(MultipartWriter)
    }

    /// The part's header fields; `Content-Transfer-Encoding` and `Content-Encoding` are added
    /// from the encodings when the part is written.
    public var headers: HTTPFields
    /// The part's content.
    public var payload: Payload
    /// The transfer encoding to write the part with, if any.
    public var transferEncoding: TransferEncoding?
    /// The compression to write the part with, if any.
    public var contentEncoding: ContentEncoding?

    /// A part holding `payload`.
    public init(
        _ payload: Payload,
        headers: HTTPFields = [:],
        transferEncoding: TransferEncoding? = nil,
        contentEncoding: ContentEncoding? = nil
    ) {
        self.payload = payload
        self.headers = headers
        self.transferEncoding = transferEncoding
        self.contentEncoding = contentEncoding
    }

    /// Sets `Content-Disposition`, built as ``contentDispositionHeader(_:parameters:quoteFields:)``
    /// builds it.
    public mutating func setContentDisposition(
        _ type: String,
        quoteFields: Bool = true,
        parameters: [(String, String)] = []
    ) throws {
        self.headers[.contentDisposition] = try contentDispositionHeader(type, parameters: parameters, quoteFields: quoteFields)
    }

    /// The header fields as written, encodings included.
    var writtenHeaders: HTTPFields {
        var headers = self.headers
        if let transferEncoding { headers[.contentTransferEncoding] = transferEncoding.rawValue }
        if let contentEncoding { headers[.contentEncoding] = contentEncoding.rawValue }
        return headers
    }

    /// The payload's length as written, when it can be known before writing.
    package var size: Int? {
        guard self.contentEncoding == nil else { return nil }
        let raw: Int?
        switch self.payload {
        case .bytes(let buffer):
            if self.transferEncoding == .quotedPrintable {
                var encoder = QuotedPrintableEncoder()
                return encoder.encode(buffer, last: true).readableBytes
            }
            raw = buffer.readableBytes
        case .stream(_, let length):
            raw = length
        case .file(let path):
            var info = stat()
            raw = stat(path, &info) == 0 ? Int(info.st_size) : nil
        case .multipart(let writer):
            raw = writer.contentLength
        }
        guard let raw else { return nil }
        switch self.transferEncoding {
        case nil: return raw
        case .base64: return Base64StreamEncoder.length(of: raw)
        case .quotedPrintable: return nil
        }
    }

    /// Writes the payload, encoded, to `sink`.
    package func writePayload(to sink: (ByteBuffer) async throws -> Void) async throws {
        var encoder = try PartEncoder(transfer: self.transferEncoding, content: self.contentEncoding)
        func emit(_ piece: ByteBuffer) async throws {
            let encoded = try encoder.encode(piece)
            if encoded.readableBytes > 0 { try await sink(encoded) }
        }
        switch self.payload {
        case .bytes(let buffer):
            try await emit(buffer)
        case .stream(let stream, _):
            for try await piece in stream { try await emit(piece) }
        case .file(let path):
            try await ScopedFile.reading(path) { handle in
                for try await piece in handle.readChunks(chunkLength: .kibibytes(64)) { try await emit(piece) }
            }
        case .multipart(let writer):
            try await writer.write { try await emit($0) }
        }
        let tail = try encoder.finish()
        if tail.readableBytes > 0 { try await sink(tail) }
    }
}
