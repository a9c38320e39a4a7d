import AioClient
import AioMultipart
import AioServer
import AioTesting
import AioWeb
import HTTPTypes
import NIOCore
import Testing

/// Runs `body` with a session whose base URL is a live server for `app`.
func withServedApp<Result: Sendable>(
    _ app: Application,
    timeout: ClientTimeout = ClientTimeout(),
    connector: ClientConnector = ClientConnector(),
    raiseForStatus: StatusCheck = .never,
    _ body: (ClientSession, String) async throws -> Result
) async throws -> Result {
    _ = try app.freeze()
    return try await withTestServer(responder: try ApplicationResponder(app)) { server in
        let base = "http://127.0.0.1:\(server.port)"
        return try await withClientSession(baseURL: base, timeout: timeout, connector: connector, raiseForStatus: raiseForStatus) { session in
            try await body(session, base)
        }
    }
}

/// Runs `body` with the base URL of a live server for the frozen `app`.
func withTestServerURL<Result: Sendable>(_ app: Application, _ body: (String) async throws -> Result) async throws -> Result {
    try await withTestServer(responder: try ApplicationResponder(app)) { server in
        try await body("http://127.0.0.1:\(server.port)")
    }
}

struct Echo: Codable, Equatable {
    var method: String
    var path: String
    var query: String
    var body: String
    var contentType: String?
    var authorization: String?
    var port: Int
    var address: String
}

/// An app that answers with what it was sent, and redirects as told.
func echoApp() -> Application {
    let app = Application()
    app.router.route(nil, "/echo") { request in
        try .json(
            Echo(
                method: request.method.rawValue,
                path: request.rawPath,
                query: request.queryString,
                body: try await request.text(),
                contentType: request.headers[.contentType],
                authorization: request.headers[.authorization],
                port: request.connection.remoteAddress?.port ?? 0,
                address: request.connection.remoteAddress?.ipAddress ?? ""
            )
        )
    }
    app.router.route(nil, "/redirect/{code}") { request in
        let code = Int(request.matchInfo["code"]!)!
        let location = request.query["to"] ?? "/echo"
        return Response(status: HTTPResponse.Status(code: code), headers: [.location: location])
    }
    app.router.get("/loop") { _ in Response(status: .found, headers: [.location: "/loop"]) }
    app.router.get("/status/{code}") { request in Response(status: HTTPResponse.Status(code: Int(request.matchInfo["code"]!)!)) }
    app.router.get("/big") { _ in
        .stream { writer in
            for index in 0..<256 {
                try await writer.write(ByteBuffer(repeating: UInt8(index), count: 32 * 1024))
            }
        }
    }
    return app
}

@Suite("Client session")
struct ClientSessionTests {
    @Test func methodsBodiesAndQueries() async throws {
        try await withServedApp(echoApp()) { session, _ in
            let get = try await session.get("/echo?a=1", params: [("b", "x y")])
            #expect(get.status == .ok)
            #expect(get.contentType == "application/json")
            let echoed = try await get.json(as: Echo.self)
            #expect(echoed.method == "GET")
            #expect(echoed.query == "a=1&b=x+y")

            let posted = try await session.post("/echo", body: try .json(["name": "Zoë"])).json(as: Echo.self)
            #expect(posted.body == #"{"name":"Zoë"}"#)
            #expect(posted.contentType == "application/json")

            let text = try await session.put("/echo", body: .text("plain")).json(as: Echo.self)
            #expect(text.method == "PUT" && text.body == "plain" && text.contentType == "text/plain; charset=utf-8")

            var form = FormData()
            form.add("field", "value & more")
            let formed = try await session.post("/echo", body: try .form(form)).json(as: Echo.self)
            #expect(formed.body == "field=value+%26+more")

            let pieces = AsyncStream<ByteBuffer> { continuation in
                for word in ["streamed ", "in ", "chunks"] { continuation.yield(ByteBuffer(string: word)) }
                continuation.finish()
            }
            let streamed = try await session.post("/echo", body: .stream(StreamAdapter(pieces))).json(as: Echo.self)
            #expect(streamed.body == "streamed in chunks")

            let head = try await session.head("/echo")
            #expect(head.status == .ok)
            #expect(try await head.read().readableBytes == 0)
        }
    }

    @Test func keepAliveConnectionsAreReused() async throws {
        try await withServedApp(echoApp()) { session, _ in
            var ports = Set<Int>()
            for _ in 0..<10 {
                ports.insert(try await session.get("/echo").json(as: Echo.self).port)
            }
            #expect(ports.count == 1, "ten requests in a row on one connection")
            // A response dropped unread closes its connection instead of leaving bytes behind.
            _ = try await session.get("/big")
            let after = try await session.get("/echo").json(as: Echo.self)
            #expect(after.method == "GET")
        }
    }

    @Test func thePoolHonoursItsPerHostLimit() async throws {
        try await withServedApp(echoApp(), connector: ClientConnector(limitPerHost: 2)) { session, _ in
            let ports = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await session.get("/echo").json(as: Echo.self).port }
                }
                return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
            }
            #expect(ports.count <= 2, "at most two connections: \(ports)")
        }
    }

    @Test func redirectsFollowRFC9110() async throws {
        try await withServedApp(echoApp()) { session, base in
            // 302 after POST becomes GET without the body; 307 and 308 keep both.
            let found = try await session.post("/redirect/302", body: .text("data"))
            let afterFound = try await found.json(as: Echo.self)
            #expect(afterFound.method == "GET" && afterFound.body.isEmpty && afterFound.contentType == nil)
            #expect(found.history.map(\.status.code) == [302])
            #expect(found.url == "\(base)/echo")
            for code in [307, 308] {
                let kept = try await session.post("/redirect/\(code)", body: .text("data")).json(as: Echo.self)
                #expect(kept.method == "POST" && kept.body == "data", "\(code)")
            }
            // 303 makes GET of everything but HEAD.
            #expect(try await session.request(.put, "/redirect/303", body: .text("x")).json(as: Echo.self).method == "GET")
            let head = try await session.request(.head, "/redirect/303", allowRedirects: true)
            #expect(head.status == .ok && head.method == .head)
            // A relative location; the fragment stays with the caller.
            let relative = try await session.get("/redirect/301", params: [("to", "../echo?q=1#part")])
            #expect(try await relative.json(as: Echo.self).query == "q=1")
            #expect(relative.fragment == "part")
            // Not followed when told so.
            let notFollowed = try await session.get("/redirect/302", allowRedirects: false)
            #expect(notFollowed.status == .found && notFollowed.headers[.location] == "/echo")
            // A stream cannot be sent twice.
            let once = AsyncStream<ByteBuffer> { $0.yield(ByteBuffer(string: "x")); $0.finish() }
            await #expect(throws: ClientRequestError.self) {
                _ = try await session.post("/redirect/307", body: .stream(StreamAdapter(once)))
            }
        }
    }

    @Test func redirectLimitsAndSchemes() async throws {
        try await withServedApp(echoApp()) { session, _ in
            let error = await #expect(throws: TooManyRedirects.self) {
                _ = try await session.request(.get, "/loop", maxRedirects: 3)
            }
            #expect(error?.history.count == 4)
            for location in ["file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)"] {
                await #expect(throws: NonHttpUrlRedirectClientError.self, "\(location)") {
                    _ = try await session.get("/redirect/302", params: [("to", location)])
                }
            }
        }
    }

    @Test func credentialsStayWithTheirOrigin() async throws {
        let other = echoApp()
        _ = try other.freeze()
        try await withTestServer(responder: try ApplicationResponder(other)) { otherServer in
            try await withServedApp(echoApp()) { session, _ in
                let same = try await session.get("/redirect/302", headers: [.authorization: "Bearer secret"])
                #expect(try await same.json(as: Echo.self).authorization == "Bearer secret")
                let away = "http://127.0.0.1:\(otherServer.port)/echo"
                let cross = try await session.get("/redirect/302", params: [("to", away)], headers: [.authorization: "Bearer secret"])
                #expect(try await cross.json(as: Echo.self).authorization == nil)
            }
        }
    }

    @Test func statusesAndContentTypes() async throws {
        try await withServedApp(echoApp()) { session, _ in
            let missing = try await session.get("/status/404")
            #expect(missing.status == .notFound)
            #expect(throws: ClientResponseStatusError.self) { try missing.raiseForStatus() }
            await #expect(throws: ContentTypeError.self) {
                _ = try await session.get("/status/200").json(as: [String].self)
            }
        }
        try await withServedApp(echoApp(), raiseForStatus: true) { session, _ in
            let error = await #expect(throws: ClientResponseStatusError.self) {
                _ = try await session.get("/status/503")
            }
            #expect(error?.status == .serviceUnavailable)
            let caught = await #expect(throws: (any Error).self) { _ = try await session.get("/status/418") }
            #expect((caught as? any ClientResponseError)?.status.code == 418)
        }
    }

    @Test func compressedBodiesAreDecoded() async throws {
        let app = Application()
        try app.use(Middlewares.compression(minimumLength: 10))
        let text = String(repeating: "compress me, ", count: 2_000)
        app.router.get("/text") { _ in .text(text) }
        try await withServedApp(app) { session, _ in
            let response = try await session.get("/text")
            #expect(response.headers[.contentEncoding] == "gzip")
            #expect(try await response.text() == text)
        }
    }

    @Test func largeBodiesStreamInPieces() async throws {
        try await withServedApp(echoApp(), connector: ClientConnector(readBufferSize: 16 * 1024)) { session, _ in
            let response = try await session.get("/big")
            var received = ByteBuffer()
            var pieces = 0
            for try await var piece in response.content {
                received.writeBuffer(&piece)
                pieces += 1
            }
            var expected = ByteBuffer()
            for index in 0..<256 { expected.writeRepeatingByte(UInt8(index), count: 32 * 1024) }
            #expect(received == expected)
            #expect(pieces > 1)
        }
    }

    @Test func invalidURLsAreRefused() async throws {
        try await withClientSession { (session: ClientSession) async throws -> Void in
            for url in ["http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http:///path", "/relative"] {
                await #expect(throws: InvalidUrlClientError.self, "\(url)") { _ = try await session.get(url) }
            }
            let notHTTP = await #expect(throws: (any Error).self) { _ = try await session.get("ftp://example.com/") }
            #expect(notHTTP is any InvalidURL)
        }
    }
}

/// An `AsyncStream` as the body stream type (`any Error` failure).
struct StreamAdapter: AsyncSequence, Sendable {
    let stream: AsyncStream<ByteBuffer>
    init(_ stream: AsyncStream<ByteBuffer>) { self.stream = stream }
    func makeAsyncIterator() -> Iterator { Iterator(base: self.stream.makeAsyncIterator()) }
    struct Iterator: AsyncIteratorProtocol {
        var base: AsyncStream<ByteBuffer>.AsyncIterator
        mutating func next() async throws -> ByteBuffer? { await self.base.next() }
    }
}
