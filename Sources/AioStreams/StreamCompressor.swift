import CompressNIO
import NIOCore

/// gzip or deflate compression of a body written piece by piece: for multipart parts, compressed
/// responses and WebSocket messages (permessage-deflate).
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

    /// `buffer` compressed and flushed to a byte boundary (zlib's sync flush): everything given
    /// so far can be inflated from what was returned, and the stream goes on.
    public func flush(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var output = ByteBuffer()
        if var window = self.compressor.window, window.readableBytes > 0 {
            // What earlier pieces left in CompressNIO's window comes first.
            output.writeBuffer(&window)
            window.clear()
            self.compressor.window = window
        }
        var input = buffer
        output.reserveCapacity(minimumWritableBytes: self.compressor.maxSize(from: input) + 64)
        while true {
            do {
                try self.compressor.streamDeflate(from: &input, to: &output, flush: .sync)
                // zlib ends a flush only with room left over; a full buffer may hold back more.
                if output.writableBytes > 0 { return output }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // Full: grow and go on.
            }
            output.reserveCapacity(minimumWritableBytes: Swift.max(4096, output.readableBytes / 2))
        }
    }

    /// Forgets what was compressed so far, so that later output does not refer back to it.
    public func reset() throws {
        try self.compressor.resetStream()
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
