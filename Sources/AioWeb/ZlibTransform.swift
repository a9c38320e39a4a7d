import AioServer
import CompressNIO
import NIOConcurrencyHelpers
import NIOCore

/// gzip or deflate compression of a response body as it is written.
final class ZlibTransform: BodyTransform, @unchecked Sendable {
    // Unchecked: the compressor is only touched under `lock`.
    private let lock = NIOLock()
    private let compressor: any NIOCompressor

    init(_ algorithm: CompressionAlgorithm) throws {
        self.compressor = algorithm.compressor
        self.compressor.window = ByteBufferAllocator().buffer(capacity: 32768)
        try self.compressor.startStream()
    }

    func transform(_ buffer: ByteBuffer) throws -> ByteBuffer {
        try self.lock.withLock { try self.compress(buffer, flush: .no) }
    }

    func finish() throws -> ByteBuffer {
        try self.lock.withLock {
            let tail = try self.compress(ByteBuffer(), flush: .finish)
            try self.compressor.finishStream()
            return tail
        }
    }

    private func compress(_ buffer: ByteBuffer, flush: CompressNIOFlush) throws -> ByteBuffer {
        var input = buffer
        var output = ByteBuffer()
        try input.compressStream(with: self.compressor, flush: flush) { piece in
            var piece = piece
            output.writeBuffer(&piece)
        }
        return output
    }
}
