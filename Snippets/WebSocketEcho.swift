// A WebSocket endpoint and a client talking to it: the server upgrades a request and reads
// messages as an async sequence; the client connects through a session. Both close cleanly
// (1000) when their closures return.
import AioHTTP
import AioTesting

// snippet.server
let app = Application()
app.router.get("/ws") { request in
    try WebSocketResponse(configuration: WebSocketConfiguration(maxMessageSize: 1 << 20, heartbeat: .seconds(30)))
        .upgrade(request) { ws in
            for try await message in ws {
                guard let text = message.text else { continue }
                try await ws.send(text: text.uppercased())
            }
        }
}
// snippet.hide
try await withTestServer(responder: try ApplicationResponder(app)) { server in
    let base = "http://127.0.0.1:\(server.port)"
    // snippet.show
    // snippet.client
    let reply = try await withClientSession(baseURL: base) { session in
        try await session.wsConnect("/ws") { ws in
            try await ws.send(text: "hello")
            return try await ws.receive().text
        }
    }
    // snippet.end
    precondition(reply == "HELLO")
}
