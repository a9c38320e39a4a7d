import AioStreams
import AioWebSocket
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// A transport that records what is written, and an inbound stream the test feeds.
final class MemoryTransport: WebSocketTransport {
    private let state = NIOLockedValueBox<(written: ByteBuffer, closed: Bool)>((ByteBuffer(), false))
    let inbound: AsyncThrowingStream<ByteBuffer, any Error>
    let feeder: AsyncThrowingStream<ByteBuffer, any Error>.Continuation

    init() {
        (self.inbound, self.feeder) = AsyncThrowingStream.makeStream()
    }

    func write(_ bytes: ByteBuffer) async throws {
        try self.state.withLockedValue { state in
            guard !state.closed else { throw WebSocketError(.goingAway, "closed") }
            var bytes = bytes
            state.written.writeBuffer(&bytes)
        }
    }

    func close() async {
        self.state.withLockedValue { $0.closed = true }
        self.feeder.finish()
    }

    var isClosed: Bool { self.state.withLockedValue { $0.closed } }

    /// The frames written so far, as a client decodes them.
    func writtenFrames() throws -> [WSFrame] {
        var decoder = WSFrameDecoder(role: .client, maxPayloadLength: 1 << 20)
        decoder.feed(self.state.withLockedValue { $0.written })
        var frames: [WSFrame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return frames
    }

    /// Sends `frame` as a client would, masked.
    func send(_ frame: WSFrame) {
        self.feeder.yield(WSFrameEncoder.encode(frame, maskingKey: .random()))
    }
}

struct WebSocketTests {
    @Test func echoConversationAndClosingHandshake() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport)
        transport.send(text("hello"))
        transport.send(WSFrame(opcode: .ping, payload: ByteBuffer(string: "hb")))
        transport.send(WSFrame(opcode: .binary, payload: ByteBuffer(bytes: [1, 2, 3])))
        transport.send(closeFrame([0x03, 0xE8]))
        var seen: [WSMessage] = []
        for try await message in ws {
            seen.append(message)
            if let text = message.text { try await ws.send(text: text) }
        }
        #expect(seen.map(\.type) == [.text, .binary])
        #expect(ws.closeCode == .ok)
        #expect(transport.isClosed)
        let frames = try transport.writtenFrames()
        #expect(frames.map(\.opcode) == [.text, .pong, .close])
        #expect(frames.last.map { Array($0.payload.readableBytesView) } == [0x03, 0xE8])
        // After the close: closed, again and again, and sending fails.
        #expect(try await ws.receive().type == .closed)
        await #expect(throws: WebSocketError.self) { try await ws.send(text: "late") }
    }

    @Test func protocolErrorClosesWithItsCode() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport, configuration: WebSocketConfiguration(maxMessageSize: 8))
        transport.send(WSFrame(opcode: .binary, payload: ByteBuffer(repeating: 0, count: 9)))
        let message = try await ws.receive()
        #expect(message.type == .error && message.closeCode == .messageTooBig)
        #expect(try transport.writtenFrames().map { try $0.closeStatus().code } == [.messageTooBig])
        #expect(transport.isClosed)
    }

    @Test func localCloseWaitsForThePeer() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport)
        transport.send(text("in flight"))
        transport.send(closeFrame([0x03, 0xE8]))
        #expect(await ws.close(code: .goingAway, message: "bye"))
        #expect(try transport.writtenFrames().map { try $0.closeStatus().code } == [.goingAway])
        #expect(transport.isClosed)
        #expect(ws.closeCode == .ok)
        #expect(await ws.close() == false)
    }

    /// `close()` from another task between two iterations leaves later messages to the loop
    /// (the race `aio ws` hit: the closer drained the echoes the loop was about to print).
    @Test(.timeLimit(.minutes(1)))
    func closeWhileIteratingLeavesMessagesToTheLoop() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport)
        transport.send(text("first"))
        var seen: [String] = []
        for try await message in ws {
            seen.append(message.text ?? "")
            if seen.count == 1 {
                // Between two receives: the closer must not start reading.
                #expect(await Task { await ws.close() }.value)
                transport.send(text("second"))
                transport.send(closeFrame([0x03, 0xE8]))
            }
        }
        #expect(seen == ["first", "second"])
        #expect(ws.closeCode == .ok)
    }

    /// A `receive()` that arrives while `close()` is draining waits for the end of the
    /// handshake instead of failing as a concurrent call.
    @Test(.timeLimit(.minutes(1)))
    func receiveDuringCloseWaits() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport)
        let closing = Task { await ws.close() }
        // The close frame on the wire means close() has begun; it is now waiting for the peer.
        while (try? transport.writtenFrames().count) != 1 { await Task.yield() }
        let receiving = Task { try await ws.receive() }
        transport.send(text("dropped"))
        transport.send(closeFrame([0x03, 0xE8]))
        #expect(await closing.value)
        #expect(try await receiving.value.type == .closed)
        #expect(ws.closeCode == .ok)
    }

    @Test func endWithoutCloseIsAbnormal() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport)
        transport.feeder.finish()
        #expect(try await ws.receive().type == .closed)
        #expect(ws.closeCode == .abnormalClosure)
    }

    @Test func jsonMessages() async throws {
        struct Point: Codable, Equatable { let x: Int }
        let message = WSMessage(type: .text, data: ByteBuffer(string: #"{"x": 3}"#))
        #expect(try message.json(as: Point.self) == Point(x: 3))
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport)
        try await ws.send(json: Point(x: 7))
        let sent = try transport.writtenFrames()
        #expect(sent.map(\.opcode) == [.text])
        #expect(try WSMessage(type: .text, data: sent[0].payload).json(as: Point.self) == Point(x: 7))
    }
}

struct HeartbeatTests {
    /// Nothing within the receive timeout: receive throws TimeoutError and the connection is
    /// dropped as abnormal; a message in time is delivered.
    @Test(.timeLimit(.minutes(1)))
    func receiveTimeout() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport, configuration: WebSocketConfiguration(receiveTimeout: .milliseconds(200)))
        transport.send(text("in time"))
        #expect(try await ws.receive().text == "in time")
        await #expect(throws: TimeoutError.self) { try await ws.receive() }
        #expect(ws.closeCode == .abnormalClosure)
        #expect(transport.isClosed)
        #expect(try await ws.receive().type == .closed)
    }

    /// A peer that never answers: the heartbeat pings, waits half an interval, and drops the
    /// connection as an abnormal closure; the receiver sees it closed.
    @Test(.timeLimit(.minutes(1)))
    func silentPeerIsDropped() async throws {
        let transport = MemoryTransport()
        let ws = WebSocket(role: .server, inbound: transport.inbound, transport: transport, configuration: WebSocketConfiguration(heartbeat: .milliseconds(50)))
        let message = try await ws.receive()
        #expect(message.type == .closed)
        #expect(ws.closeCode == .abnormalClosure)
        #expect(try transport.writtenFrames().map(\.opcode) == [.ping])
    }

    /// A peer that answers keeps the connection: the client sees the pings (its pongs go back
    /// automatically) and the server stays open.
    @Test(.timeLimit(.minutes(1)))
    func answeringPeerStays() async throws {
        let toServer = MemoryTransport()
        let toClient = MemoryTransport()
        // A heartbeat of 6 s leaves the pong 3 s: CI's loaded machine once took longer than the
        // 1 s a 2 s heartbeat allowed.
        let server = WebSocket(role: .server, inbound: toServer.inbound, transport: Relay(to: toClient), configuration: WebSocketConfiguration(heartbeat: .seconds(6)))
        let client = WebSocket(role: .client, inbound: toClient.inbound, transport: Relay(to: toServer), configuration: WebSocketConfiguration(autoPing: false))
        let serverLoop = Task {
            // Receiving is what lets the server see the pongs.
            while true {
                let message = try await server.receive()
                if message.type != .pong { return message }
            }
        }
        for _ in 0..<2 {
            #expect(try await client.receive().type == .ping)
        }
        #expect(!server.isClosed)
        await client.close(code: .goingAway)
        #expect(try await serverLoop.value.type == .close)
    }
}
