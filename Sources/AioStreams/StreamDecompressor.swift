import CompressNIO
import NIOCore

/// Inflates a gzip, zlib or raw deflate stream piece by piece and refuses to produce more than
/// a limit: one inflater, with the zip-bomb cap, for multipart parts and WebSocket messages.
///
/// Used by one reader at a time; not thread-safe.
public final class StreamDecompressor {
    /// Why inflating stopped.
    public enum Failure: Error, Sendable, Hashable {
        /// The output would exceed the limit.
        case tooLarge(limit: Int)
        /// The input is not valid compressed data.
        case corrupt
        /// Bytes follow the end of the compressed stream.
        case trailingData
    }

    private let decompressor: any NIODecompressor
    private let limit: Int
    private var produced = 0

    /// An inflater for `algorithm` producing at most `limit` bytes in all.
    public init(_ algorithm: CompressionAlgorithm, limit: Int) throws {
        self.decompressor = algorithm.decompressor
        self.limit = limit
        try self.decompressor.startStream()
    }

    /// The bytes `piece` inflates to (possibly none yet).
    ///
    /// - Throws: ``Failure``.
    public func decompress(_ piece: ByteBuffer) throws -> ByteBuffer {
        var input = piece
        var output = ByteBuffer()
        // A full window may leave output inside zlib even when all input is taken: go on until
        // the input is used up and a window comes back with room to spare.
        var windowFilled = false
        while input.readableBytes > 0 || windowFilled {
            var window = ByteBuffer()
            window.reserveCapacity(Swift.min(65536, Swift.max(4096, (self.limit - self.produced) + 1)))
            let before = input.readableBytes
            do {
                try self.decompressor.streamInflate(from: &input, to: &window)
            } catch let error as CompressNIOError where error == .bufferOverflow || error == .inputBufferOverflow {
                // The window is full, or the input is used up: both mean "go on".
            } catch {
                throw Failure.corrupt
            }
            self.produced += window.readableBytes
            guard self.produced <= self.limit else { throw Failure.tooLarge(limit: self.limit) }
            if window.readableBytes == 0, input.readableBytes == before {
                guard input.readableBytes == 0 else { throw Failure.trailingData }
                break
            }
            windowFilled = window.writableBytes == 0
            output.writeBuffer(&window)
        }
        return output
    }

    /// Counts output from zero again, for the next message of a stream whose limit is per
    /// message.
    public func resetCount() {
        self.produced = 0
    }

    /// Ends the stream.
    public func finish() throws {
        try self.decompressor.finishStream()
    }
}
