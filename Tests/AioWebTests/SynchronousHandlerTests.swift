import AioServer
import AioTesting
import AioWeb
import AioWire
import HTTPTypes
import NIOCore
import Testing

@Suite("Synchronous handlers")
struct SynchronousHandlerTests {
    struct Boom: Error {}
    /// 20,000 characters, 40,000 bytes of UTF-8: past what goes into a head's buffer.
    static let big = String(repeating: "é", count: 20000)

    func makeApp(middlewares: [Middleware] = []) -> Application {
        let app = Application(middlewares: middlewares)
        app.router.get("/now/{id}", name: "now") { request in
            .text("now \(request.matchInfo["id"]!) \(request.routeName ?? "")")
        }
        app.router.get("/later") { _ in
            await Task.yield()
            return .text("later")
        }
        app.router.get("/stream") { _ in .stream { body in try await body.write(ByteBuffer(string: "streamed")) } }
        app.router.get("/forbidden") { _ in throw HTTPForbidden(text: "no") }
        app.router.get("/boom") { _ in throw Boom() }
        app.router.get("/big") { _ in .text(Self.big) }
        return app
    }

    func ask(_ responder: ApplicationResponder, _ method: HTTPRequest.Method, _ path: String) -> ImmediateResponse? {
        let request = HTTPRequest(method: method, scheme: "http", authority: "t", path: path)
        return responder.respondImmediately(to: ServerRequest(head: HTTPRequestHead(request: request)))
    }

    /// A keep-alive connection whose requests were answered where they were parsed (a
    /// synchronous handler, or an async one behind a middleware, run within the read) still
    /// closes once idle: the idle timer starts when the read is done, not only when a response
    /// finishes after it.
    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func idleConnectionsCloseAfterAnswersOnTheSpot(middleware: Bool) async throws {
        let passThrough = Middleware { request, next in try await next(request) }
        let app = self.makeApp(middlewares: middleware ? [passThrough] : [])
        var configuration = ServerConfiguration()
        // Long enough that a loaded machine sends the next request in time; the test waits for
        // the close, not for the clock.
        configuration.idleTimeout = .seconds(2)
        try await withTestServer(responder: try ApplicationResponder(app), configuration: configuration) { server in
            let connection = try await server.connect()
            for index in 0..<2 {
                #expect(try await connection.request(HTTPRequest(method: .get, scheme: "http", authority: "t", path: "/now/\(index)")).status == .ok)
            }
            #expect(try await connection.readToEnd().readableBytes == 0, "closed by the server once idle")
        }
    }

    @Test func answeredWithoutSuspendingWhenNothingElseRuns() throws {
        let responder = try ApplicationResponder(self.makeApp())
        // A text response is handed over as its string, written straight into the head's buffer.
        guard case .text(let response, let body)? = self.ask(responder, .get, "/now/7") else {
            Issue.record("a synchronous handler answers immediately, with its text")
            return
        }
        #expect(response.status == .ok)
        #expect(body == "now 7 now")
        #expect(self.ask(responder, .get, "/later").isNone, "an async handler is left to the request loop")
        guard case .later? = self.ask(responder, .get, "/stream") else {
            Issue.record("a streamed response finishes on the request loop")
            return
        }
        for (method, path, status) in [
            (HTTPRequest.Method.get, "/missing", 404), (.post, "/now/1", 405), (.get, "/forbidden", 403), (.get, "/boom", 500),
        ] {
            guard case .whole(let response, _)? = self.ask(responder, method, path) else {
                Issue.record("\(method) \(path) is answered immediately")
                continue
            }
            #expect(response.status.code == status)
            if status == 405 { #expect(response.headerFields[.allow] == "GET, HEAD") }
        }
    }

    @Test func middlewaresTakeTheRequestLoop() async throws {
        let tagging = Middleware { request, next in
            var response = try await next(request)
            response.headers[HTTPField.Name("X-Tag")!] = "seen"
            return response
        }
        let app = self.makeApp(middlewares: [tagging])
        let responder = try ApplicationResponder(app)
        #expect(self.ask(responder, .get, "/now/7").isNone)
        try await app.test(.live) { client in
            let response = try await client.execute(.get, "/now/7")
            #expect(response.text == "now 7 now")
            #expect(response.headerFields[HTTPField.Name("X-Tag")!] == "seen")
        }
    }

    /// Middlewares that never suspend keep synchronous handlers on the spot: their steps run
    /// there (a header on the way out, an early answer, an error turned into a response, path
    /// normalization's redirect for a route-less path), and the same steps run around async
    /// handlers, in order with async middlewares.
    @Test(arguments: [TestMode.router, .live])
    func synchronousMiddlewaresKeepAnswersOnTheSpot(_ mode: TestMode) async throws {
        let tagging = Middleware.synchronous(
            request: { request in request.headers[HTTPField.Name("X-Block")!] == nil ? nil : .text("blocked", status: .forbidden) },
            response: { _, response in response.headers.append(HTTPField(name: HTTPField.Name("X-Tag")!, value: "sync")) },
            error: { _, error in
                guard error is Boom else { throw error }
                return .text("recovered", status: .serviceUnavailable)
            }
        )
        let app = self.makeApp(middlewares: [Middlewares.normalizePath(appendSlash: true), tagging])
        app.router.get("/dir/") { _ in .text("dir") }
        let responder = try ApplicationResponder(app)
        guard case .text(let answer, let body)? = self.ask(responder, .get, "/now/7") else {
            Issue.record("synchronous middlewares and handler answer on the spot")
            return
        }
        #expect(body == "now 7 now")
        #expect(answer.headerFields[HTTPField.Name("X-Tag")!] == "sync")
        #expect(!self.ask(responder, .get, "/boom").isNone)
        #expect(!self.ask(responder, .get, "/dir").isNone, "a 404 goes through the middlewares too")
        #expect(self.ask(responder, .get, "/later").isNone, "an async handler is left to the request loop")

        let mixed = self.makeApp(middlewares: [Middleware { request, next in
            var response = try await next(request)
            response.headers.append(HTTPField(name: HTTPField.Name("X-Tag")!, value: "async"))
            return response
        }, tagging])
        #expect(self.ask(try ApplicationResponder(mixed), .get, "/now/7").isNone, "an async middleware needs the request loop")

        for app in [app, mixed] {
            try await app.test(mode) { client async throws in
                for path in ["/now/1", "/later"] {
                    let response = try await client.execute(.get, path)
                    #expect(response.status == .ok)
                    #expect(response.headerFields[values: HTTPField.Name("X-Tag")!].first == "sync", "\(path): the inner middleware's tag first")
                }
                let blocked = try await client.execute(.get, "/now/2", headers: [HTTPField.Name("X-Block")!: "1"])
                #expect(blocked.status == .forbidden)
                #expect(blocked.text == "blocked")
                #expect(blocked.headerFields[HTTPField.Name("X-Tag")!] != nil, "its own answer passes its response step")
                let recovered = try await client.execute(.get, "/boom")
                #expect(recovered.status == .serviceUnavailable)
                #expect(recovered.text == "recovered")
                #expect(try await client.execute(.get, "/forbidden").status == .forbidden, "other errors pass through")
            }
        }
        try await app.test(mode) { client async throws in
            let redirect = try await client.execute(.get, "/dir?x=1")
            #expect(redirect.status == .permanentRedirect)
            #expect(redirect.headerFields[.location] == "/dir/?x=1")
        }
    }

    @Test("the same answers either way", arguments: [TestMode.router, .live])
    func sameAnswers(_ mode: TestMode) async throws {
        try await self.makeApp().test(mode) { client in
            #expect(try await client.execute(.get, "/now/1").text == "now 1 now")
            #expect(try await client.execute(.get, "/later").text == "later")
            #expect(try await client.execute(.get, "/stream").text == "streamed")
            #expect(try await client.execute(.get, "/forbidden").status == .forbidden)
            let boom = try await client.execute(.get, "/boom")
            #expect(boom.status == .internalServerError)
            #expect(!boom.text.contains("Boom"), "no internals outside debug mode")
            let head = try await client.execute(.head, "/now/2")
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headerFields[.contentLength] == "9")
            let big = try await client.execute(.get, "/big")
            #expect(big.headerFields[.contentLength] == "40000")
            #expect(big.text == Self.big)
            let bigHead = try await client.execute(.head, "/big")
            #expect(bigHead.headerFields[.contentLength] == "40000")
            #expect(bigHead.body.readableBytes == 0)
        }
    }
}

extension Optional where Wrapped == ImmediateResponse {
    /// Whether the responder declined to answer immediately.
    var isNone: Bool { if case .none = self { true } else { false } }
}
