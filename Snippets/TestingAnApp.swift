// Testing an application three ways: in process (`.router`), through a live server (`.live`),
// and byte by byte over a raw connection, for what only the wire shows. In a test target the
// checks would be swift-testing's `#expect`.
import AioHTTP
import AioTesting

// snippet.hide
func makeApp() -> Application {
    let app = Application(clientMaxSize: 16)
    app.router.post("/echo") { request in .text(try await request.text()) }
    return app
}
// snippet.show
// snippet.modes
// In process: no socket, the fastest way to test handlers and middlewares.
try await makeApp().test(.router) { client in
    let response = try await client.execute(.post, "/echo", body: ByteBuffer(string: "hello"))
    precondition(response.status == .ok && response.text == "hello")
}
// Through a server on a free port of 127.0.0.1: framing and limits as a peer sees them.
try await makeApp().test(.live) { client in
    let tooLarge = try await client.execute(.post, "/echo", body: ByteBuffer(string: String(repeating: "x", count: 17)))
    precondition(tooLarge.status == .contentTooLarge)
}
// snippet.raw
// A raw connection sends exactly the bytes given: here a request the parser must refuse.
try await withTestServer(responder: try ApplicationResponder(makeApp())) { server in
    let connection = try await server.connect()
    try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx")
    let refused = try await connection.readResponse()
    precondition(refused.status == .badRequest)
    try await connection.close()
}
// snippet.end
