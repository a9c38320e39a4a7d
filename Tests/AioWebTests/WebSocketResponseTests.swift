import AioServer
import AioTesting
import AioWeb
import AioWebSocket
import HTTPTypes
import NIOCore
import Testing

@Suite("WebSocketResponse")
struct WebSocketResponseTests {
    static func echoApp() -> Application {
        let app = Application()
        app.router.get("/ws") { request in
            try WebSocketResponse(protocols: ["chat", "superchat"], compress: false).upgrade(request) { ws in
                for try await message in ws where message.type == .text {
                    try await ws.send(text: message.text ?? "")
                }
            }
        }
        return app
    }

    /// Frames sent in the same packet as the upgrade request belong to the WebSocket: they are
    /// answered after the 101, and the closing handshake ends the connection.
    @Test(.timeLimit(.minutes(1)))
    func bytesBehindTheRequestBelongToTheWebSocket() async throws {
        try await withTestServer(responder: try ApplicationResponder(Self.echoApp()), configuration: .init(address: .hostname("127.0.0.1", port: 0))) { server in
            let connection = try await server.connect()
            var packet = ByteBuffer(string: "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: superchat, chat\r\n\r\n")
            WSFrameEncoder.encode(WSFrame(opcode: .text, payload: ByteBuffer(string: "early")), maskingKey: .random(), into: &packet)
            WSFrameEncoder.encode(.close(code: .ok), maskingKey: .random(), into: &packet)
            try await connection.send(packet)
            var reply = try await connection.readToEnd()
            let text = String(buffer: reply)
            guard let end = text.range(of: "\r\n\r\n") else {
                Issue.record("no response head: \(text)")
                return
            }
            let head = String(text[..<end.upperBound])
            #expect(head.hasPrefix("HTTP/1.1 101 "))
            #expect(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
            #expect(head.contains("Sec-WebSocket-Protocol: superchat\r\n"))
            reply.moveReaderIndex(forwardBy: head.utf8.count)
            var decoder = WSFrameDecoder(role: .client, maxPayloadLength: 1000)
            decoder.feed(reply)
            var frames: [WSFrame] = []
            while let frame = try decoder.next() { frames.append(frame) }
            #expect(frames.map(\.opcode) == [.text, .close])
            #expect(frames.first.map { String(buffer: $0.payload) } == "early")
            #expect(try frames.last?.closeStatus().code == .ok)
        }
    }

    /// Handshakes the endpoint refuses, each with its status.
    @Test(arguments: [
        ("POST", ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"], 405),
        ("GET", ["Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"], 400),
        ("GET", ["Upgrade": "websocket", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"], 400),
        ("GET", ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "short", "Sec-WebSocket-Version": "13"], 400),
        ("GET", ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "8"], 426),
        ("GET", ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="], 426),
    ] as [(String, [String: String], Int)])
    func refusedHandshakes(method: String, fields: [String: String], status: Int) async throws {
        let app = Self.echoApp()
        app.router.post("/ws") { request in try WebSocketResponse().upgrade(request) { _ in } }
        var headers = HTTPFields()
        for (name, value) in fields { headers[HTTPField.Name(name)!] = value }
        let response = try await app.test(.router) { client in
            try await client.execute(HTTPRequest.Method(method)!, "/ws", headers: headers)
        }
        #expect(response.status.code == status)
        if status == 426 {
            // RFC 9110 §15.5.22: a 426 names the protocol to switch to.
            #expect(response.headerFields[.upgrade] == "websocket")
            #expect(response.headerFields[.secWebSocketVersion] == "13")
        }
    }
}
