import AioStreams
@testable import AioWebSocket
import NIOCore
import Testing

struct DeflateTests {
    @Test(arguments: [
        (["permessage-deflate; client_no_context_takeover; client_max_window_bits"], "permessage-deflate; client_no_context_takeover"),
        (["permessage-deflate; server_max_window_bits=8, permessage-deflate"], "permessage-deflate"),
        (["permessage-deflate; server_max_window_bits=10; server_no_context_takeover"], "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"),
        (["permessage-deflate; client_max_window_bits=9"], "permessage-deflate; client_max_window_bits=9"),
        (["x-webkit-deflate-frame", "permessage-deflate; unknown"], nil),
        (["permessage-deflate; server_max_window_bits=16"], nil),
        (["permessage-deflate; server_max_window_bits"], nil),
        (["permessage-deflate; server_no_context_takeover; server_no_context_takeover"], nil),
    ] as [([String], String?)])
    func serverNegotiation(offers: [String], answer: String?) {
        #expect(PerMessageDeflate.accept(offers: offers)?.response == answer)
    }

    @Test func clientChecksTheAnswer() throws {
        #expect(try PerMessageDeflate.accepted(response: []) == nil)
        #expect(try PerMessageDeflate.accepted(response: ["permessage-deflate; server_max_window_bits=12"])?.serverMaxWindowBits == 12)
        #expect(throws: WebSocketError.self) { try PerMessageDeflate.accepted(response: ["permessage-deflate; client_max_window_bits"]) }
        #expect(throws: WebSocketError.self) { try PerMessageDeflate.accepted(response: ["x-other"]) }
    }

    /// A client and a server WebSocket with permessage-deflate, wired back to back: messages
    /// (empty, small, large, repeated so the context is used) arrive whole, compressed on the wire.
    @Test(arguments: [PerMessageDeflate(), {
        var parameters = PerMessageDeflate()
        parameters.serverNoContextTakeover = true
        parameters.clientNoContextTakeover = true
        parameters.serverMaxWindowBits = 9
        return parameters
    }()])
    func roundTrip(parameters: PerMessageDeflate) async throws {
        let toServer = MemoryTransport()
        let toClient = MemoryTransport()
        let server = try WebSocket(role: .server, inbound: toServer.inbound, transport: Relay(to: toClient), deflate: parameters)
        let client = try WebSocket(role: .client, inbound: toClient.inbound, transport: Relay(to: toServer), deflate: parameters)
        // Empty messages after others: a flush with nothing new once spun forever.
        let texts = ["", "hello", "", "", "hello", String(repeating: "compress me ", count: 10000), "κόσμε", ""]
        for text in texts {
            try await client.send(text: text)
            let message = try await server.receive()
            #expect(message.text?.count == text.count && message.text == text, "\(text.prefix(20))…")
            try await server.send(binary: message.data)
            let echo = try await client.receive()
            #expect(echo.type == .binary && echo.data == message.data)
        }
    }
}

extension DeflateTests {
    /// A sender may end a message's deflate stream with a final block (RFC 7692 §7.2.3.6): the
    /// message inflates whole and the next one starts a new stream; bytes after the final block
    /// within a message are corrupt data (1007).
    @Test func messagesEndingWithAFinalBlock() throws {
        let compression = try MessageCompression(role: .server, parameters: PerMessageDeflate(), maxMessageSize: 1 << 20)
        for text in ["one", "two", "three"] {
            let payload = try StreamCompressor.compress(ByteBuffer(string: text), format: .rawDeflate())
            compression.startMessage()
            #expect(try compression.inflate(payload, fin: true) == ByteBuffer(string: text))
        }
        var junk = try StreamCompressor.compress(ByteBuffer(string: "four"), format: .rawDeflate())
        junk.writeString("junk")
        compression.startMessage()
        #expect(throws: WebSocketError.self) { try compression.inflate(junk, fin: true) }
    }
}

/// A transport that feeds what is written to another transport's inbound side.
struct Relay: WebSocketTransport {
    let to: MemoryTransport
    func write(_ bytes: ByteBuffer) async throws { self.to.feeder.yield(bytes) }
    func close() async { self.to.feeder.finish() }
}
