import CompressNIO
import NIOCore

/// gzip or deflate compression of a body written piece by piece: for multipart parts here and
/// for compressed responses in AioWeb.
///
/// Used by one writer at a time; not thread-safe.
public final class StreamCompressor {
    private let compressor: any NIOCompressor

    /// A compressor with `algorithm`, ready for the first piece.
    public init(_ algorithm: CompressionAlgorithm) throws {
        self.compressor = algorithm.compressor
        self.compressor.window = ByteBufferAllocator().buffer(capacity: 32768)
        try self.compressor.startStream()
    }

    /// The compressed bytes for `buffer` that are ready (possibly none yet).
    public func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        try self.run(buffer, flush: .no)
    }

    /// Everything still held back; the stream is complete afterwards.
    public func finish() throws -> ByteBuffer {
        let tail = try self.run(ByteBuffer(), flush: .finish)
        try self.compressor.finishStream()
        return tail
    }

    private func run(_ buffer: ByteBuffer, flush: CompressNIOFlush) throws -> ByteBuffer {
        var input = buffer
        var output = ByteBuffer()
        try input.compressStream(with: self.compressor, flush: flush) { piece in
            var piece = piece
            output.writeBuffer(&piece)
        }
        return output
    }
}
