import AioStreams
import AioServer
import NIOConcurrencyHelpers
import NIOCore

/// gzip or deflate compression of a response body as it is written.
final class ZlibTransform: BodyTransform, @unchecked Sendable {
    // Unchecked: the compressor is only touched under `lock`.
    private let lock = NIOLock()
    private let compressor: StreamCompressor

    init(_ format: CompressionFormat, level: Int) throws {
        self.compressor = try StreamCompressor(format, level: level)
    }

    func transform(_ buffer: ByteBuffer) throws -> ByteBuffer {
        try self.lock.withLock { try self.compressor.compress(buffer) }
    }

    func finish() throws -> ByteBuffer {
        try self.lock.withLock { try self.compressor.finish() }
    }
}
