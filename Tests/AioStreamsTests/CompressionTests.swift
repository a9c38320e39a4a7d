import AioStreams
import CompressNIO
import NIOCore
import Testing

struct CompressionTests {
    /// Highly compressible data: one small compressed piece inflates to many windows, all of
    /// which must come out of the one call (none left inside zlib).
    @Test(arguments: [CompressionAlgorithm.gzip(), .deflate(), .zlib()])
    func wholeOutputFromOnePiece(algorithm: CompressionAlgorithm) throws {
        let original = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1 << 20)
        let compressor = try StreamCompressor(algorithm)
        var compressed = try compressor.compress(original)
        var tail = try compressor.finish()
        compressed.writeBuffer(&tail)
        #expect(compressed.readableBytes < 10000)
        let inflater = try StreamDecompressor(algorithm, limit: 1 << 20)
        #expect(try inflater.decompress(compressed) == original)
    }

    /// A sync flush gives everything so far; the stream goes on across flushes and resets.
    @Test func syncFlushes() throws {
        let compressor = try StreamCompressor(.deflate())
        let inflater = try StreamDecompressor(.deflate(), limit: 1 << 20)
        for text in ["hello", "hello again", String(repeating: "x", count: 100_000)] {
            let flushed = try compressor.flush(ByteBuffer(string: text))
            #expect(flushed.readableBytesView.suffix(4).elementsEqual([0, 0, 0xFF, 0xFF]))
            #expect(try inflater.decompress(flushed) == ByteBuffer(string: text))
        }
    }

    @Test func limitAndCorruption() throws {
        let compressor = try StreamCompressor(.deflate())
        let bomb = try compressor.flush(ByteBuffer(repeating: 0, count: 100_000))
        let inflater = try StreamDecompressor(.deflate(), limit: 50_000)
        #expect(throws: StreamDecompressor.Failure.tooLarge(limit: 50_000)) { try inflater.decompress(bomb) }
        let corrupt = try StreamDecompressor(.deflate(), limit: 1000)
        #expect(throws: StreamDecompressor.Failure.corrupt) { try corrupt.decompress(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])) }
    }
}

extension CompressionTests {
    /// Incompressible data larger than any window: a sync flush still gives all of it.
    @Test func syncFlushOfIncompressibleData() throws {
        var generator = SystemRandomNumberGenerator()
        let random = ByteBuffer(bytes: (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let compressor = try StreamCompressor(.deflate())
        let inflater = try StreamDecompressor(.deflate(), limit: 1 << 20)
        for _ in 0..<3 {
            #expect(try inflater.decompress(compressor.flush(random)) == random)
        }
    }
}
