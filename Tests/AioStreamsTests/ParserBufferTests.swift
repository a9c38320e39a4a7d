import AioStreams
import AioWire
import NIOCore
import Testing

/// An async source of the given pieces.
func pieces(_ parts: [String]) -> AsyncStream<ByteBuffer> {
    AsyncStream { continuation in
        for part in parts { continuation.yield(ByteBuffer(string: part)) }
        continuation.finish()
    }
}

/// `text` cut into pieces of `size` bytes.
func split(_ text: String, every size: Int) -> [String] {
    let bytes = Array(text.utf8)
    return stride(from: 0, to: bytes.count, by: size).map {
        String(decoding: bytes[$0..<min($0 + size, bytes.count)], as: UTF8.self)
    }
}

@Suite("ParserBuffer")
struct ParserBufferTests {
    static let text = "--boundary\r\nContent-Type: text/plain\r\n\r\nhello world\r\n--boundary--\r\nepilogue"

    @Test("reads agree in every split", arguments: [1, 2, 3, 5, 7, 13, 100])
    func reads(pieceSize: Int) async throws {
        var reader = ParserBuffer(pieces(split(Self.text, every: pieceSize)))
        #expect(String(buffer: try await reader.waitUntil("\r\n".utf8, limit: 100)) == "--boundary\r\n")
        #expect(String(buffer: try await reader.readUntil("\r\n".utf8, limit: 100)) == "--boundary\r\n")
        #expect(String(buffer: try await reader.wait(7)) == "Content")
        try await reader.skipUntil("\r\n\r\n".utf8)
        #expect(String(buffer: try await reader.read(5)) == "hello")
        try await reader.skip(1)
        let some = try #require(try await reader.readSome(3))
        #expect(some.readableBytes >= 1 && some.readableBytes <= 3)
        try await reader.skipUntil("--boundary--\r\n".utf8)
        var rest = ""
        while let piece = try await reader.readSome(1000) { rest += String(buffer: piece) }
        #expect(rest == "epilogue")
        #expect(reader.isAtEnd)
        #expect(try await reader.readSome(1) == nil)
    }

    @Test func endOfStream() async throws {
        var reader = ParserBuffer(pieces(["abc", "de"]))
        await #expect(throws: EOFStream(bufferedBytes: 5)) { try await reader.read(6) }
        var other = ParserBuffer(pieces(["abc\r"]))
        await #expect(throws: EOFStream.self) { try await other.readUntil("\r\n".utf8, limit: 10) }
        var skipping = ParserBuffer(pieces(["abc"]))
        await #expect(throws: EOFStream.self) { try await skipping.skipUntil("x".utf8) }
    }

    @Test func lineLimit() async throws {
        var reader = ParserBuffer(pieces(split(String(repeating: "a", count: 100) + "\r\n", every: 7)))
        await #expect(throws: LineTooLong.self) { try await reader.readUntil("\r\n".utf8, limit: 50) }
        // The separator itself counts: a line of exactly `limit` bytes with CRLF passes.
        var exact = ParserBuffer(pieces(["abc\r\n"]))
        #expect(try await exact.readUntil("\r\n".utf8, limit: 5).readableBytes == 5)
        var over = ParserBuffer(pieces(["abcd\r\n"]))
        await #expect(throws: LineTooLong.self) { try await over.readUntil("\r\n".utf8, limit: 5) }
    }

    /// A separator cut across pieces at every position is still found.
    @Test func separatorAcrossPieces() async throws {
        let separator = "\r\n--boundary"
        for cut in 1..<separator.utf8.count {
            let text = "xyz" + separator + "tail"
            let bytes = Array(text.utf8)
            let at = 3 + cut
            let parts = [String(decoding: bytes[..<at], as: UTF8.self), String(decoding: bytes[at...], as: UTF8.self)]
            var reader = ParserBuffer(pieces(parts))
            #expect(String(buffer: try await reader.readUntil(separator.utf8, limit: 100)) == "xyz" + separator)
        }
    }

    @Test func cancellation() async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        continuation.yield(ByteBuffer(string: "ab"))
        let task = Task {
            var reader = ParserBuffer(stream)
            return try await reader.read(10)
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        continuation.finish()
    }
}
