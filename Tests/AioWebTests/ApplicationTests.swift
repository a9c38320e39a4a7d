import Foundation
import AioStreams
import AioTesting
import AioWeb
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Testing

struct Item: Codable, Equatable {
    var name: String
    var count: Int
}

@Suite("Application, requests and responses")
struct ApplicationTests {
    @Test("request helpers", arguments: [TestMode.router, .live])
    func requestHelpers(_ mode: TestMode) async throws {
        let app = Application(clientMaxSize: 1000)
        app.router.get("/query") { request in
            .text(request.query.all("a").joined(separator: ",") + "|" + (request.query["b"] ?? "-") + "|" + request.path)
        }
        app.router.get("/cookies") { request in .text(request.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")) }
        app.router.post("/json") { request in
            var item = try await request.json(as: Item.self)
            item.count += 1
            return try .json(item, status: .created)
        }
        app.router.post("/form") { request in
            let form = try await request.post().textFields
            return .text(form.pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&"))
        }
        app.router.post("/text") { request in .text(try await request.text() + "/" + (request.charset ?? "none")) }
        try await app.test(mode) { client in
            #expect(try await client.execute(.get, "/query?a=1&b=x%20y&a=2&c").text == "1,2|x y|/query")
            #expect(try await client.execute(.get, "/cookies", headers: [.cookie: "b=2; a=\"1\"; b=3"]).text == "a=1;b=2")
            let created = try await client.execute(
                .post, "/json", headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"name":"x","count":1}"#)
            )
            #expect(created.status == .created)
            #expect(created.headerFields[.contentType] == "application/json")
            #expect(try JSONDecoderForTests.decode(Item.self, created.body) == Item(name: "x", count: 2))
            let bad = try await client.execute(.post, "/json", body: ByteBuffer(string: "{nope"))
            #expect(bad.status == .badRequest)
            let form = try await client.execute(
                .post, "/form", headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "a=1&b=two+words&a=%C3%A9")
            )
            #expect(form.text == "a=1&b=two words&a=é")
            let latin = try await client.execute(
                .post, "/text", headers: [.contentType: "text/plain; charset=ISO-8859-1"], body: ByteBuffer(bytes: [0x63, 0x61, 0x66, 0xE9])
            )
            #expect(latin.text == "café/iso-8859-1")
            let tooLarge = try await client.execute(.post, "/text", body: ByteBuffer(repeating: 0x61, count: 2000))
            #expect(tooLarge.status == .contentTooLarge)
        }
    }

    /// A request body's `Content-Encoding` is decoded as it is read, as aiohttp's server does;
    /// a stream that is cut short, corrupt or followed by junk is a 400, never a short body.
    @Test("compressed request bodies", arguments: [TestMode.router, .live])
    func compressedRequestBodies(_ mode: TestMode) async throws {
        let app = Application(clientMaxSize: 10_000)
        app.router.post("/text") { request in .text(try await request.text()) }
        app.router.post("/form") { request in
            .text(try await request.post().textFields.pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&"))
        }
        let text = String(repeating: "compressed body, ", count: 200)
        func encoded(_ format: CompressionFormat, _ text: String = text) throws -> ByteBuffer {
            try StreamCompressor.compress(ByteBuffer(string: text), format: format)
        }
        try await app.test(mode) { client in
            for (coding, format) in [("gzip", CompressionFormat.gzip), ("deflate", .zlib), ("deflate", .rawDeflate()), ("x-gzip", .gzip)] {
                let answer = try await client.execute(.post, "/text", headers: [.contentEncoding: coding], body: try encoded(format))
                #expect(answer.status == .ok)
                #expect(answer.text == text, "\(coding) \(format)")
            }
            var members = try encoded(.gzip, "first ")
            var second = try encoded(.gzip, "second")
            members.writeBuffer(&second)
            #expect(try await client.execute(.post, "/text", headers: [.contentEncoding: "gzip"], body: members).text == "first second")
            let form = try encoded(.gzip, "a=1&b=two")
            let fields = try await client.execute(
                .post, "/form", headers: [.contentEncoding: "gzip", .contentType: "application/x-www-form-urlencoded"], body: form
            )
            #expect(fields.text == "a=1&b=two")

            let whole = try encoded(.gzip)
            var junk = whole
            junk.writeString("junk")
            for bad in [whole.getSlice(at: 0, length: whole.readableBytes - 4)!, junk, ByteBuffer(string: "not gzip at all")] {
                let refused = try await client.execute(.post, "/text", headers: [.contentEncoding: "gzip"], body: bad)
                #expect(refused.status == .badRequest, "\(refused.text)")
            }
            let bomb = try StreamCompressor.compress(ByteBuffer(repeating: 0x61, count: 1 << 20), format: .gzip)
            #expect(try await client.execute(.post, "/text", headers: [.contentEncoding: "gzip"], body: bomb).status == .contentTooLarge)
            let brotli = try await client.execute(.post, "/text", headers: [.contentEncoding: "br"], body: ByteBuffer(string: "x"))
            #expect(brotli.status == .unsupportedMediaType)
            #expect(brotli.headerFields[.acceptEncoding] == "gzip, deflate")
        }
    }

    /// An absolute-form target (RFC 9112 §3.2.2) reaches the handler as its path and query, with
    /// the target's authority as the host whatever `Host` says.
    @Test func absoluteFormTarget() async throws {
        let app = Application()
        app.router.get("/path") { request in
            .text("\(request.path)|\(request.queryString)|\(request.host ?? "-")|\(request.url)")
        }
        let responder = try ApplicationResponder(app)
        try await withTestServer(responder: responder) { server in
            let connection = try await server.connect()
            try await connection.send("GET http://localhost:81/path?q=1 HTTP/1.1\r\nHost: elsewhere\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == .ok)
            #expect(response.text == "/path|q=1|localhost:81|http://localhost:81/path?q=1")
            try await connection.close()
        }
    }

    @Test func responsesAndExceptions() async throws {
        let app = Application(debug: false)
        app.router.get("/redirect") { _ in throw HTTPFound(location: "/elsewhere") }
        app.router.get("/teapot") { _ in Response(HTTPUnprocessableEntity(text: "nope")) }
        app.router.get("/boom") { _ in throw CancellationError() }
        app.router.get("/cookie") { _ in
            var response = Response.text("with cookies")
            try response.setCookie(Cookie(name: "session", value: "a b", maxAge: 60, secure: true, httpOnly: true, sameSite: .lax))
            try response.deleteCookie("old")
            return response
        }
        app.router.get("/stream") { _ in
            .stream { writer in
                for index in 0..<3 { try await writer.write(ByteBuffer(string: "\(index);")) }
            }
        }
        try await app.test(.live) { client in
            let redirect = try await client.execute(.get, "/redirect")
            #expect(redirect.status == .found)
            #expect(redirect.headerFields[.location] == "/elsewhere")
            #expect(redirect.text == "302: Found")
            let teapot = try await client.execute(.get, "/teapot")
            #expect(teapot.status.code == 422)
            #expect(teapot.text == "nope")
            let boom = try await client.execute(.get, "/boom")
            #expect(boom.status == .internalServerError)
            #expect(boom.text == "500: Internal Server Error")
            let cookies = try await client.execute(.get, "/cookie").headerFields[values: .setCookie]
            #expect(cookies == [
                #"session="a b"; Max-Age=60; Path=/; SameSite=Lax; Secure; HttpOnly"#,
                "old=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
            ])
            let stream = try await client.execute(.get, "/stream")
            #expect(stream.text == "0;1;2;")
            #expect(stream.headerFields[.transferEncoding] == "chunked")
        }
    }

    /// A cookie whose name is not a token, or whose Domain or Path would end the attribute, is
    /// refused rather than written (it would set attributes of the client's choosing).
    @Test func invalidCookiesAreRefused() throws {
        var response = Response.text("x")
        for cookie in [
            Cookie(name: "a;b", value: "1"), Cookie(name: "", value: "1"), Cookie(name: "a b", value: "1"),
            Cookie(name: "a", value: "1", path: "/; Domain=evil.example"), Cookie(name: "a", value: "1", domain: "x\r\nSet-Cookie: b=2"),
        ] {
            #expect(throws: InvalidCookie.self) { try response.setCookie(cookie) }
        }
        try response.setCookie(Cookie(name: "ok", value: "a;b"))
        #expect(response.cookies.map(\.headerValue) == [#"ok="a;b"; Path=/"#])
    }

    /// A handler that answers with an interim status gets a 500: a 1xx is never the answer, and
    /// a client would wait on for one. Both on the spot and through the request loop.
    @Test func interimStatusesAreNotResponses() async throws {
        let app = Application()
        app.router.get("/sync") { _ in Response(status: .init(code: 103)) }
        app.router.get("/async") { _ in
            await Task.yield()
            return Response(status: .continue)
        }
        try await app.test(.live) { client async throws in
            for path in ["/sync", "/async", "/sync"] {
                #expect(try await client.execute(.get, path).status == .internalServerError, "\(path)")
            }
        }
    }

    @Test func signalsAndState() async throws {
        let events = NIOLockedValueBox<[String]>([])
        let counterKey = AppKey<Int>("counter")
        let app = Application()
        app.router.get("/") { request in .text("counter=\(request.app[counterKey] ?? -1)") }
        try app.onStartup.append { app in
            events.withLockedValue { $0.append("startup") }
            app[counterKey] = 41
        }
        try app.cleanupContext.append { _ in
            events.withLockedValue { $0.append("setup") }
            return { events.withLockedValue { $0.append("teardown") } }
        }
        try app.onShutdown.append { _ in events.withLockedValue { $0.append("shutdown") } }
        try app.onCleanup.append { _ in events.withLockedValue { $0.append("cleanup") } }
        try app.onResponsePrepare.append { _, response in
            response.headers[HTTPField.Name("X-Prepared")!] = "1"
        }
        try app.onRequestStart.append { request in events.withLockedValue { $0.append("start \(request.path)") } }
        try app.onRequestEnd.append { _, response in events.withLockedValue { $0.append("end \(response.status.code)") } }
        try await app.test(.router) { client in
            let response = try await client.execute(.get, "/")
            #expect(response.text == "counter=41")
            #expect(response.headerFields[HTTPField.Name("X-Prepared")!] == "1")
            let missing = try await client.execute(.get, "/missing")
            #expect(missing.headerFields[HTTPField.Name("X-Prepared")!] == "1", "errors are prepared too")
        }
        #expect(events.withLockedValue { $0 } == [
            "startup", "setup", "start /", "end 200", "start /missing", "end 404", "shutdown", "cleanup", "teardown",
        ])
        #expect(throws: FrozenSignalError.self) { try app.onStartup.append { _ in } }
        #expect(throws: FrozenApplicationError.self) { try app.use { request, next in try await next(request) } }
    }

    @Test func middlewareOrder() async throws {
        func tag(_ name: String) -> Middleware {
            Middleware { request, next in
                var response = try await next(request)
                response.headers.append(HTTPField(name: HTTPField.Name("X-Order")!, value: name))
                return response
            }
        }
        let app = Application(middlewares: [tag("outer"), tag("inner")])
        app.router.get("/") { _ in .text("ok") }
        try await app.test(.router) { client in
            let response = try await client.execute(.get, "/")
            #expect(response.headerFields[values: HTTPField.Name("X-Order")!] == ["inner", "outer"])
        }
    }
}

enum JSONDecoderForTests {
    static func decode<Value: Decodable>(_ type: Value.Type, _ buffer: ByteBuffer) throws -> Value {
        try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
    }
}
