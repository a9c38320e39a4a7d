import AioStreams
import NIOCore
import Testing

struct CompressionTests {
    static let formats: [CompressionFormat] = [.gzip, .zlib, .rawDeflate()]

    static func compressed(_ text: String, _ format: CompressionFormat) throws -> ByteBuffer {
        try StreamCompressor.compress(ByteBuffer(string: text), format: format)
    }

    /// Highly compressible data: one small compressed piece inflates to many windows, all of
    /// which must come out of the one call (none left inside zlib).
    @Test(arguments: formats)
    func wholeOutputFromOnePiece(format: CompressionFormat) throws {
        let original = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1 << 20)
        let compressor = try StreamCompressor(format)
        var compressed = try compressor.compress(original)
        var tail = try compressor.finish()
        compressed.writeBuffer(&tail)
        #expect(compressed.readableBytes < 10000)
        let inflater = try StreamDecompressor(format, limit: 1 << 20)
        #expect(try inflater.decompress(compressed) == original)
        try inflater.finish()
    }

    /// A stream is whole only if it ended: fed in any split, a stream cut short fails at
    /// `finish`, never passing for a shorter body; an empty input is an empty body.
    @Test(arguments: formats)
    func truncatedStreamsAreErrors(format: CompressionFormat) throws {
        let whole = try Self.compressed(String(repeating: "truncated? ", count: 500), format)
        for cut in [1, 4, whole.readableBytes / 2, whole.readableBytes - 1] {
            let inflater = try StreamDecompressor(format, limit: 1 << 20)
            let output = try inflater.decompress(whole.getSlice(at: 0, length: cut)!)
            #expect(output.readableBytes <= 5500)
            #expect(throws: StreamDecompressor.Failure.truncated, "cut at \(cut)") { try inflater.finish() }
        }
        let empty = try StreamDecompressor(format, limit: 100)
        #expect(try empty.decompress(ByteBuffer()).readableBytes == 0)
        try empty.finish()
    }

    /// Bytes after the end of a stream are an error, whether they come with its last piece or
    /// after it.
    @Test(arguments: formats)
    func trailingBytesAreErrors(format: CompressionFormat) throws {
        var withJunk = try Self.compressed("body", format)
        withJunk.writeString("junk")
        #expect(throws: StreamDecompressor.Failure.trailingData) {
            try StreamDecompressor(format, limit: 100).decompress(withJunk)
        }
        let inflater = try StreamDecompressor(format, limit: 100)
        #expect(try inflater.decompress(Self.compressed("body", format)) == ByteBuffer(string: "body"))
        // After a gzip member, one byte could start the next: the error shows when it cannot.
        #expect(throws: StreamDecompressor.Failure.self) {
            _ = try inflater.decompress(ByteBuffer(string: "x"))
            try inflater.finish()
        }
        // The same bytes cut anywhere are the same error (found by the multipart fuzzer: junk
        // whose first byte came with the member's end was called corrupt, not trailing).
        let bytes = Array(withJunk.readableBytesView)
        for cut in 1..<bytes.count {
            let cutInflater = try StreamDecompressor(format, limit: 100)
            #expect(throws: StreamDecompressor.Failure.trailingData, "cut at \(cut)") {
                _ = try cutInflater.decompress(ByteBuffer(bytes: bytes[..<cut]))
                _ = try cutInflater.decompress(ByteBuffer(bytes: bytes[cut...]))
            }
        }
    }

    /// gzip members in a row are one body (RFC 1952 §2.2), split anywhere, the limit counting
    /// across members.
    @Test func gzipMembersJoin() throws {
        var joined = try Self.compressed("first, ", .gzip)
        var second = try Self.compressed("second", .gzip)
        joined.writeBuffer(&second)
        let bytes = Array(joined.readableBytesView)
        for cut in 1..<bytes.count {
            let inflater = try StreamDecompressor(.gzip, limit: 100)
            var output = try inflater.decompress(ByteBuffer(bytes: bytes[..<cut]))
            var rest = try inflater.decompress(ByteBuffer(bytes: bytes[cut...]))
            output.writeBuffer(&rest)
            try inflater.finish()
            #expect(String(buffer: output) == "first, second", "cut at \(cut)")
        }
        #expect(throws: StreamDecompressor.Failure.tooLarge(limit: 10)) {
            try StreamDecompressor.decompress(joined, format: .gzip, limit: 10)
        }
        // A zlib stream is one stream: a second one after it is trailing data.
        var twoZlib = try Self.compressed("a", .zlib)
        var again = try Self.compressed("b", .zlib)
        twoZlib.writeBuffer(&again)
        #expect(throws: StreamDecompressor.Failure.trailingData) {
            try StreamDecompressor.decompress(twoZlib, format: .zlib, limit: 100)
        }
    }

    /// A sync flush gives everything so far; the stream goes on across flushes and resets, and
    /// a flush with nothing new gives nothing (it used to spin forever).
    @Test func syncFlushes() throws {
        let compressor = try StreamCompressor(.rawDeflate())
        let inflater = try StreamDecompressor(.rawDeflate(), limit: 1 << 20)
        for text in ["hello", "hello again", String(repeating: "x", count: 100_000)] {
            let flushed = try compressor.flush(ByteBuffer(string: text))
            #expect(flushed.readableBytesView.suffix(4).elementsEqual([0, 0, 0xFF, 0xFF]))
            #expect(try inflater.decompress(flushed) == ByteBuffer(string: text))
        }
        #expect(try compressor.flush(ByteBuffer()).readableBytes == 0)
        #expect(try compressor.flush(ByteBuffer()).readableBytes == 0)
        let after = try compressor.flush(ByteBuffer(string: "after"))
        #expect(try inflater.decompress(after) == ByteBuffer(string: "after"))
    }

    /// After a stream that ended, `restart` begins another: a WebSocket message may end its
    /// deflate stream with a final block, and the next message starts anew.
    @Test func restartAfterTheEnd() throws {
        let inflater = try StreamDecompressor(.rawDeflate(), limit: 1 << 20)
        for text in ["one", "two"] {
            #expect(try inflater.decompress(Self.compressed(text, .rawDeflate())) == ByteBuffer(string: text))
            #expect(inflater.ended)
            try inflater.restart()
        }
    }

    @Test func limitAndCorruption() throws {
        let compressor = try StreamCompressor(.rawDeflate())
        let bomb = try compressor.flush(ByteBuffer(repeating: 0, count: 100_000))
        let inflater = try StreamDecompressor(.rawDeflate(), limit: 50_000)
        #expect(throws: StreamDecompressor.Failure.tooLarge(limit: 50_000)) { try inflater.decompress(bomb) }
        let corrupt = try StreamDecompressor(.rawDeflate(), limit: 1000)
        #expect(throws: StreamDecompressor.Failure.corrupt) { try corrupt.decompress(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])) }
        #expect(throws: StreamDecompressor.Failure.corrupt) {
            try StreamDecompressor(.gzip, limit: 1000).decompress(ByteBuffer(string: "not gzip at all"))
        }
    }

    /// Incompressible data larger than any window: a sync flush still gives all of it.
    @Test func syncFlushOfIncompressibleData() throws {
        var generator = SystemRandomNumberGenerator()
        let random = ByteBuffer(bytes: (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let compressor = try StreamCompressor(.rawDeflate())
        let inflater = try StreamDecompressor(.rawDeflate(), limit: 1 << 20)
        for _ in 0..<3 {
            #expect(try inflater.decompress(compressor.flush(random)) == random)
        }
    }
}
