import AioClient
import AioWeb
import AioWebSocket
import HTTPTypes
import NIOCore
import Testing

@Suite("Session WebSockets")
struct SessionWebSocketTests {
    /// `/ws` says which cookie and credentials came with the handshake, sets a cookie in its
    /// answer, then echoes; `/set` sets a cookie over plain HTTP.
    static func app() -> Application {
        let app = Application()
        app.router.get("/ws") { request in
            let cookie = request.headers[.cookie] ?? "-"
            let authorization = request.headers[.authorization] ?? "-"
            var response = try WebSocketResponse().upgrade(request) { ws in
                try await ws.send(text: "cookie=\(cookie) authorization=\(authorization)")
                for try await message in ws where message.type == .text {
                    try await ws.send(text: message.text ?? "")
                }
            }
            response.headers[.setCookie] = "joined=yes; Path=/"
            return response
        }
        app.router.get("/set") { _ in Response(status: .ok, headers: [.setCookie: "session=abc; Path=/"]) }
        app.router.get("/plain") { _ in .text("not a WebSocket") }
        return app
    }

    @Test(.timeLimit(.minutes(1)))
    func theSessionsCookiesCredentialsAndBaseURLApply() async throws {
        _ = try Self.app().freeze()
        try await withTestServerURL(Self.app()) { base in
            let port = base.split(separator: ":").last!
            try await withClientSession(baseURL: base, cookieJar: CookieJar(unsafe: true)) { (session: ClientSession) async throws -> Void in
                _ = try await session.get("/set").read()
                let first = try await session.wsConnect("ws://me:pw@127.0.0.1:\(port)/ws") { ws in
                    let hello = try await ws.receive().text
                    try await ws.send(text: "echo me")
                    #expect(try await ws.receive().text == "echo me")
                    return hello
                }
                #expect(first == "cookie=session=abc authorization=Basic bWU6cHc=")
                // The answer's cookie is kept, and a relative URL joins the base URL.
                let second = try await session.wsConnect("/ws") { ws in try await ws.receive().text }
                #expect(second?.hasPrefix("cookie=session=abc; joined=yes ") == true, "\(second ?? "nil")")
                await #expect(throws: WSServerHandshakeError.self) {
                    try await session.wsConnect("/plain") { _ in }
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aWebSocketHoldsItsPoolSlotUntilItCloses() async throws {
        let app = Self.app()
        _ = try app.freeze()
        try await withTestServerURL(app) { base in
            let connector = ClientConnector(limit: 1)
            try await withClientSession(baseURL: base, connector: connector) { (session: ClientSession) async throws -> Void in
                try await session.wsConnect("/ws") { ws in
                    _ = try await ws.receive()
                    // The only slot is the WebSocket's: a request waits for it, then gives up.
                    await #expect(throws: ConnectionTimeoutError.self) {
                        _ = try await session.get("/set", timeout: ClientTimeout(connect: 0.3))
                    }
                }
                // Closed: the slot is free again.
                #expect(try await session.get("/set").status == .ok)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func closingTheSessionClosesItsWebSockets() async throws {
        let app = Self.app()
        _ = try app.freeze()
        try await withTestServerURL(app) { base in
            let session = try ClientSession(baseURL: base)
            try await session.wsConnect("/ws") { ws in
                _ = try await ws.receive()
                await session.close()
                // The connection is gone: the iteration ends instead of waiting forever.
                for try await _ in ws {}
                #expect(ws.isClosed)
            }
        }
    }
}
