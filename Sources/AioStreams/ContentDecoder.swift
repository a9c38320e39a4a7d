import NIOCore

/// Decodes an HTTP content coding (`gzip`, `x-gzip`, `deflate`) piece by piece, inflating to at
/// most a limit: request bodies and multipart parts share it.
///
/// `deflate` is read as the zlib format HTTP means (RFC 9110 §8.4.1.2) or as the raw deflate some
/// clients send (aiohttp in multipart bodies), told apart by the zlib header. The body is whole
/// only if its stream ended there (see ``StreamDecompressor``).
///
/// Used by one reader at a time; not thread-safe.
public final class ContentDecoder {
    private let gzip: Bool
    private let limit: Int
    private var decompressor: StreamDecompressor?
    /// The first bytes of a deflate body, until two of them tell zlib from raw deflate.
    private var waiting = ByteBuffer()

    /// A decoder for the content coding `coding` (any case), inflating to at most `limit` bytes;
    /// nil for a coding it does not know (`identity` included: nothing to decode).
    public init?(coding: String, limit: Int) {
        switch coding.lowercased() {
        case "gzip", "x-gzip": self.gzip = true
        case "deflate": self.gzip = false
        default: return nil
        }
        self.limit = limit
    }

    /// The bytes `piece` decodes to (possibly none yet).
    ///
    /// - Throws: ``StreamDecompressor/Failure``.
    public func decode(_ piece: ByteBuffer) throws -> ByteBuffer {
        if let decompressor = self.decompressor { return try decompressor.decompress(piece) }
        self.waiting.writeImmutableBuffer(piece)
        let format: CompressionFormat
        if self.gzip {
            format = .gzip
        } else {
            guard self.waiting.readableBytes >= 2 else { return ByteBuffer() }
            let first = self.waiting.getInteger(at: self.waiting.readerIndex, as: UInt8.self)!
            let second = self.waiting.getInteger(at: self.waiting.readerIndex + 1, as: UInt8.self)!
            let zlibHeader = first & 0x0F == 8 && (UInt16(first) << 8 | UInt16(second)) % 31 == 0
            format = zlibHeader ? .zlib : .rawDeflate()
        }
        let decompressor = try StreamDecompressor(format, limit: self.limit)
        self.decompressor = decompressor
        let input = self.waiting
        self.waiting = ByteBuffer()
        return try decompressor.decompress(input)
    }

    /// Checks that the body ended where its compressed stream did (an empty body is empty).
    ///
    /// - Throws: ``StreamDecompressor/Failure/truncated``.
    public func finish() throws {
        guard self.waiting.readableBytes == 0 else { throw StreamDecompressor.Failure.truncated }
        try self.decompressor?.finish()
    }
}
