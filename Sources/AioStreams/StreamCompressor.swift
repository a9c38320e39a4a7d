internal import CAioZlib
import NIOCore

/// gzip, zlib or raw deflate compression of a body written piece by piece: for multipart parts,
/// compressed responses and WebSocket messages (permessage-deflate).
///
/// Used by one writer at a time; not thread-safe.
public final class StreamCompressor {
    /// Why compressing failed (zlib refused its settings or ran out of memory).
    public struct Failure: Error, Sendable, Hashable {
        /// zlib's status code.
        public let status: Int32
    }

    private let stream: UnsafeMutablePointer<z_stream>

    /// A compressor for `format` at `level` (0, none, to 9, smallest; 6 is zlib's default).
    public init(_ format: CompressionFormat, level: Int = 6) throws {
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        let status = CAioZlib_deflateInit2(
            self.stream,
            Int32(Swift.min(Swift.max(level, 0), 9)),
            Z_DEFLATED,
            format.zlibWindowBits,
            8,
            Z_DEFAULT_STRATEGY
        )
        guard status == Z_OK else {
            self.stream.deallocate()
            throw Failure(status: status)
        }
    }

    deinit {
        deflateEnd(self.stream)
        self.stream.deallocate()
    }

    /// The compressed bytes for `buffer` that are ready (possibly none yet).
    public func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        try self.run(buffer, flush: Z_NO_FLUSH)
    }

    /// `buffer` compressed and flushed to a byte boundary (zlib's sync flush, ending in
    /// `00 00 FF FF`): everything given so far can be inflated from what was returned, and the
    /// stream goes on. Nothing at all when there is nothing new to flush.
    public func flush(_ buffer: ByteBuffer) throws -> ByteBuffer {
        try self.run(buffer, flush: Z_SYNC_FLUSH)
    }

    /// `buffer` and everything still held back; the stream is complete afterwards.
    public func finish(_ buffer: ByteBuffer = ByteBuffer()) throws -> ByteBuffer {
        try self.run(buffer, flush: Z_FINISH)
    }

    /// Forgets what was compressed so far, so that later output does not refer back to it; after
    /// ``finish(_:)``, starts a new stream.
    public func reset() throws {
        let status = deflateReset(self.stream)
        guard status == Z_OK else { throw Failure(status: status) }
    }

    /// All of `buffer` compressed in `format`: a whole body at once.
    public static func compress(_ buffer: ByteBuffer, format: CompressionFormat, level: Int = 6) throws -> ByteBuffer {
        try StreamCompressor(format, level: level).finish(buffer)
    }

    private func run(_ buffer: ByteBuffer, flush: Int32) throws -> ByteBuffer {
        var output = ByteBuffer()
        let stream = self.stream
        try stream.withInput(buffer) {
            while true {
                let room = Swift.min(65536, Swift.max(4096, Int(stream.pointee.avail_in) / 2 + 64))
                let (status, _, full) = stream.step(into: &output, room: room) { deflate($0, flush) }
                switch status {
                case Z_STREAM_END:
                    return
                case Z_OK where flush == Z_FINISH, Z_OK where full:
                    // More to come: a finish goes on to the stream's end, and a full window may
                    // hold back more.
                    continue
                case Z_OK where stream.pointee.avail_in == 0:
                    return
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: nothing new to compress or flush.
                    return
                default:
                    throw Failure(status: status)
                }
            }
        }
        return output
    }
}
