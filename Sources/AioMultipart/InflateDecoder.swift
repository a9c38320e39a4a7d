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
    private var decompressor: (any NIODecompressor)?
    private var waiting = ByteBuffer()
    private var produced = 0

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
        var output = ByteBuffer()
        while input.readableBytes > 0 {
            var window = ByteBuffer()
            window.reserveCapacity(65536)
            let before = input.readableBytes
            do {
                try self.decompressor!.streamInflate(from: &input, to: &window)
            } catch let error as CompressNIOError where error == .bufferOverflow || error == .inputBufferOverflow {
                // The window is full, or the input is used up: both mean "go on".
            } catch {
                throw MultipartError("Corrupt \(self.gzip ? "gzip" : "deflate") data in a part")
            }
            self.produced += window.readableBytes
            guard self.produced <= self.limit else {
                throw MultipartError.tooLarge("A part inflates to more than \(self.limit) bytes")
            }
            if window.readableBytes == 0, input.readableBytes == before {
                throw MultipartError("Data after the end of a compressed part")
            }
            output.writeBuffer(&window)
        }
        return output
    }

    /// Checks that a stream too short to tell its format did not end the part.
    func finish() throws {
        guard self.waiting.readableBytes == 0 else { throw MultipartError("Truncated compressed part") }
        try self.decompressor?.finishStream()
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
        let decompressor = algorithm.decompressor
        try decompressor.startStream()
        self.decompressor = decompressor
    }
}
