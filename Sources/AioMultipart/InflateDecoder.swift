import AioStreams
import CompressNIO
import NIOCore

/// Inflates a part's `Content-Encoding: gzip` or `deflate` piece by piece, refusing to produce
/// more than a set number of bytes (no zip bombs).
///
/// `deflate` is read as the zlib format HTTP means (RFC 9110 §8.4.1.2) or as the raw deflate
/// aiohttp writes in multipart bodies, told apart by the zlib header.
final class InflateDecoder {
    private let gzip: Bool
    private let limit: Int
    private var decompressor: StreamDecompressor?
    private var waiting = ByteBuffer()

    init(gzip: Bool, limit: Int) {
        self.gzip = gzip
        self.limit = limit
    }

    func decode(_ piece: ByteBuffer) throws -> ByteBuffer {
        var input = piece
        if self.decompressor == nil {
            self.waiting.writeImmutableBuffer(input)
            guard self.gzip || self.waiting.readableBytes >= 2 else { return ByteBuffer() }
            input = self.waiting
            self.waiting = ByteBuffer()
            try self.start(header: input)
        }
        do {
            return try self.decompressor!.decompress(input)
        } catch StreamDecompressor.Failure.tooLarge(let limit) {
            throw MultipartError.tooLarge("A part inflates to more than \(limit) bytes")
        } catch StreamDecompressor.Failure.trailingData {
            throw MultipartError("Data after the end of a compressed part")
        } catch {
            throw MultipartError("Corrupt \(self.gzip ? "gzip" : "deflate") data in a part")
        }
    }

    /// Checks that a stream too short to tell its format did not end the part.
    func finish() throws {
        guard self.waiting.readableBytes == 0 else { throw MultipartError("Truncated compressed part") }
        try self.decompressor?.finish()
    }

    private func start(header: ByteBuffer) throws {
        let algorithm: CompressionAlgorithm
        if self.gzip {
            algorithm = .gzip()
        } else {
            let first = header.getInteger(at: header.readerIndex, as: UInt8.self)!
            let second = header.getInteger(at: header.readerIndex + 1, as: UInt8.self)!
            let zlibHeader = first & 0x0F == 8 && (UInt16(first) << 8 | UInt16(second)) % 31 == 0
            algorithm = zlibHeader ? .zlib() : .deflate()
        }
        self.decompressor = try StreamDecompressor(algorithm, limit: self.limit)
    }
}
