import AioServer
import AioStreams
import AioWire
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore

/// Decodes a request body's `Content-Encoding` as it is read, as aiohttp's server does (gzip and
/// deflate, see ``/AioStreams/ContentDecoder``), inflating to at most a limit. A stream that is
/// corrupt, cut short or followed by other bytes is a 400, never a short body; past the limit, a
/// 413; a coding it does not know, a 415 naming the ones it does.
final class InflateTransform: BodyTransform, @unchecked Sendable {
    // Unchecked: the decoder is only touched under `lock`.
    private let lock = NIOLock()
    private let coding: String
    private let decoder: ContentDecoder?

    /// The transformation for a body with `Content-Encoding: value`, inflating to at most
    /// `limit` bytes; nil for `identity`.
    init?(contentEncoding value: String, limit: Int) {
        let coding = value.trimmingSpaces.lowercased()
        guard !coding.isEmpty, coding != "identity" else { return nil }
        self.coding = coding
        self.decoder = ContentDecoder(coding: coding, limit: limit)
    }

    func transform(_ buffer: ByteBuffer) throws -> ByteBuffer {
        try self.lock.withLock { try self.mapErrors { try self.knownDecoder().decode(buffer) } }
    }

    func finish() throws -> ByteBuffer {
        try self.lock.withLock {
            try self.mapErrors { try self.knownDecoder().finish() }
            return ByteBuffer()
        }
    }

    private func knownDecoder() throws -> ContentDecoder {
        guard let decoder = self.decoder else {
            throw HTTPUnsupportedMediaType(text: "Unsupported Content-Encoding: \(self.coding)", headers: [.acceptEncoding: "gzip, deflate"])
        }
        return decoder
    }

    private func mapErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch StreamDecompressor.Failure.tooLarge(let limit) {
            throw HTTPRequestEntityTooLarge(text: "The \(self.coding) body inflates to more than \(limit) bytes")
        } catch StreamDecompressor.Failure.truncated {
            throw HTTPBadRequest("The \(self.coding) body is truncated")
        } catch StreamDecompressor.Failure.trailingData {
            throw HTTPBadRequest("Data after the end of the \(self.coding) body")
        } catch is StreamDecompressor.Failure {
            throw HTTPBadRequest("Corrupt \(self.coding) body")
        }
    }
}
