internal import CAioZlib
import NIOCore

/// Inflates a gzip, zlib or raw deflate stream piece by piece, refusing to produce more than a
/// limit: one inflater, with the zip-bomb cap, for request bodies, multipart parts and WebSocket
/// messages.
///
/// A body is whole only if its stream ended: ``finish()`` throws for one cut short, and bytes
/// after the end are an error, except a next gzip member (read as more of the same body).
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
        /// The input ended before the compressed stream did.
        case truncated
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let format: CompressionFormat
    private let limit: Int
    private var produced = 0
    /// Whether the compressed stream has ended: its last block and, for gzip and zlib, its
    /// checksum are read.
    public private(set) var ended = false
    /// Some input was given: an empty body is empty, not truncated.
    private var started = false
    /// Whether bytes after a gzip member were taken for the next member, which has inflated to
    /// nothing yet: an error now means trailing garbage.
    private var inNextMember = false

    /// An inflater for `format` producing at most `limit` bytes in all (or per message, with
    /// ``resetCount()``).
    public init(_ format: CompressionFormat, limit: Int) throws {
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        guard CAioZlib_inflateInit2(self.stream, format.zlibWindowBits) == Z_OK else {
            self.stream.deallocate()
            throw Failure.corrupt
        }
        self.format = format
        self.limit = limit
    }

    deinit {
        inflateEnd(self.stream)
        self.stream.deallocate()
    }

    /// The bytes `piece` inflates to (possibly none yet).
    ///
    /// - Throws: ``Failure``.
    public func decompress(_ piece: ByteBuffer) throws -> ByteBuffer {
        var output = ByteBuffer()
        guard piece.readableBytes > 0 else { return output }
        self.started = true
        let stream = self.stream
        try stream.withInput(piece) {
            while true {
                if self.ended {
                    guard stream.pointee.avail_in > 0 else { return }
                    // Bytes after the end: the next gzip member, or garbage.
                    guard self.format == .gzip else { throw Failure.trailingData }
                    guard inflateReset(stream) == Z_OK else { throw Failure.corrupt }
                    self.ended = false
                    self.inNextMember = true
                }
                // Room for what is left of the limit and one byte more, to see it crossed (a
                // limit of Int.max, "none", must not overflow here).
                let left = self.limit - self.produced
                let room = left >= 65536 ? 65536 : Swift.max(4096, left + 1)
                let (status, written, full) = stream.step(into: &output, room: room) { inflate($0, Z_NO_FLUSH) }
                self.produced += written
                guard self.produced <= self.limit else { throw Failure.tooLarge(limit: self.limit) }
                switch status {
                case Z_STREAM_END:
                    self.ended = true
                case Z_OK, Z_BUF_ERROR:
                    // Done once the input is used up and zlib had room to spare: nothing is left
                    // inside it. (Z_BUF_ERROR: no progress was possible, the input is used up.)
                    if stream.pointee.avail_in == 0, !full { return }
                default:
                    // What follows a gzip member is not another one: trailing garbage (however the
                    // bytes were cut: the member may have begun in an earlier piece).
                    throw self.inNextMember && written == 0 ? Failure.trailingData : Failure.corrupt
                }
                if written > 0 { self.inNextMember = false }
            }
        }
        return output
    }

    /// Counts output from zero again, for the next message of a stream whose limit is per
    /// message.
    public func resetCount() {
        self.produced = 0
    }

    /// Starts a new stream after one that ended, forgetting the old one's window: a WebSocket
    /// sender may end a message's stream with a final block and begin the next message anew.
    public func restart() throws {
        guard inflateReset(self.stream) == Z_OK else { throw Failure.corrupt }
        self.ended = false
        self.started = false
        self.inNextMember = false
    }

    /// Checks that the input ended where the compressed stream did (or that there was none).
    ///
    /// - Throws: ``Failure/truncated``.
    public func finish() throws {
        guard self.ended || !self.started else { throw Failure.truncated }
    }

    /// All of `buffer` inflated, at most `limit` bytes: a whole body at once.
    ///
    /// - Throws: ``Failure``.
    public static func decompress(_ buffer: ByteBuffer, format: CompressionFormat, limit: Int) throws -> ByteBuffer {
        let decompressor = try StreamDecompressor(format, limit: limit)
        let output = try decompressor.decompress(buffer)
        try decompressor.finish()
        return output
    }
}
