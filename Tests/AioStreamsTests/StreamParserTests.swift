import AioStreams
import AioWire
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Splits a stream into lines (without CRLF): a second protocol to switch to.
struct LineDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    typealias InboundOut = String

    mutating func decode(buffer: inout ByteBuffer) throws -> String? {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = buffer.readString(length: end - buffer.readerIndex)!
        buffer.moveReaderIndex(forwardBy: 1)
        return line
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> String? {
        if let line = try self.decode(buffer: &buffer) { return line }
        guard seenEOF, buffer.readableBytes > 0 else { return nil }
        return buffer.readString(length: buffer.readableBytes)
    }
}

@Suite("StreamParser")
struct StreamParserTests {
    /// HTTP first, then the bytes behind the upgrade request go to the next parser.
    @Test("switching parsers after an upgrade", arguments: [1, 3, 10, 1000])
    func upgradeHandOff(pieceSize: Int) async throws {
        let text = "GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: lines\r\n\r\nfirst\nsecond\nthird"
        let parser = StreamParser()
        let http = parser.setParser(HTTPRequestParser())
        for part in split(text, every: pieceSize) {
            parser.feed(ByteBuffer(string: part))
        }
        var events = http.makeAsyncIterator()
        guard case .head(let head) = try await events.next() else { throw Failure() }
        #expect(head.isUpgrade)
        #expect(try await events.next() == .end(nil))
        parser.unsetParser()
        #expect(try await events.next() == nil)

        let lines = parser.setParser(LineDecoder())
        parser.feedEOF()
        var received: [String] = []
        for try await line in lines { received.append(line) }
        #expect(received == ["first", "second", "third"])
    }

    @Test func parserErrorEndsTheQueue() async throws {
        let parser = StreamParser()
        let http = parser.setParser(HTTPRequestParser())
        parser.feed(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n"))
        var events = http.makeAsyncIterator()
        await #expect(throws: InvalidHeader.self) { try await events.next() }
    }

    /// A consumer that does not read stops the source from being pulled.
    @Test func backPressureReachesTheSource() async throws {
        let pulled = NIOLockedValueBox(0)
        let consumed = NIOLockedValueBox(0)
        let maxAhead = NIOLockedValueBox(0)
        let total = 500
        let source = AsyncStream<ByteBuffer>(unfolding: {
            let count = pulled.withLockedValue { value -> Int in
                value += 1
                return value
            }
            guard count <= total else { return nil }
            let ahead = count - consumed.withLockedValue { $0 }
            maxAhead.withLockedValue { $0 = max($0, ahead) }
            return ByteBuffer(string: "line \(count)\n")
        })
        let parser = StreamParser(lowWatermark: 2, highWatermark: 8)
        let lines = parser.setParser(LineDecoder())
        let pump = Task { try await parser.run(reading: source) }
        var received = 0
        for try await line in lines {
            received += 1
            #expect(line == "line \(received)")
            consumed.withLockedValue { $0 += 1 }
            await Task.yield()
        }
        try await pump.value
        #expect(received == total)
        #expect(maxAhead.withLockedValue { $0 } <= 10)
    }
}

struct Failure: Error {}
