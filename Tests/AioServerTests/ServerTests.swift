import AioServer
import AioTestSupport
import AioTesting
import AioWire
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Answers `/text/<anything>` with the path, `/stream` with three chunks and trailers,
/// `/count` with the number of body bytes read, `/fail/<code>` by throwing, `/boom` by throwing
/// a non-HTTP error, `/ignore-body` without reading the body.
struct TestResponder: HTTPResponder {
    struct Boom: Error {}

    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        let path = request.request.path ?? ""
        if path == "/stream" {
            var body = try await writer.writeHead(HTTPResponse(status: .ok))
            for piece in ["one ", "two ", "three"] {
                try await body.write(ByteBuffer(string: piece))
            }
            try await body.finish(trailers: [HTTPField.Name("X-Done")!: "yes"])
        } else if path == "/count" {
            var count = 0
            for try await piece in request.body { count += piece.readableBytes }
            try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: "\(count)"))
        } else if path.hasPrefix("/fail/") {
            throw BadHTTPMessage("failed on purpose", status: .init(code: Int(path.dropFirst(6))!))
        } else if path == "/boom" {
            throw Boom()
        } else if path == "/ignore-body" {
            try await writer.write(HTTPResponse(status: .accepted), body: ByteBuffer(string: "ignored"))
        } else {
            try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: path))
        }
    }
}

func get(_ path: String) -> HTTPRequest {
    HTTPRequest(method: .get, scheme: "http", authority: "test", path: path)
}

@Suite("HTTP server")
struct ServerTests {
    @Test func keepAliveAndPipelining() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            try await connection.send(
                "GET /text/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /text/2 HTTP/1.1\r\nHost: t\r\n\r\nGET /text/3 HTTP/1.1\r\nHost: t\r\n\r\n"
            )
            for index in 1...3 {
                let response = try await connection.readResponse()
                #expect(response.status == .ok)
                #expect(response.text == "/text/\(index)")
                #expect(response.headerFields[.contentLength] == "\(7)")
                #expect(response.headerFields[.date] != nil)
                #expect(response.headerFields[.server] == "swift-aiohttp")
                #expect(response.head.keepAlive)
            }
            let again = try await connection.request(get("/text/4"))
            #expect(again.text == "/text/4")
            try await connection.close()
        }
    }

    @Test func connectionCloseAndHTTP10() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let closing = try await server.connect()
            try await closing.send("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await closing.readResponse()
            #expect(response.headerFields[.connection] == "close")
            #expect(try await closing.readToEnd().readableBytes == 0, "nothing after a closing request is answered")

            let old = try await server.connect()
            try await old.send("GET /a HTTP/1.0\r\n\r\n")
            #expect(try await old.readResponse().text == "/a")
            #expect(try await old.readToEnd().readableBytes == 0)

            let kept = try await server.connect()
            try await kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try await kept.readResponse()
            #expect(first.headerFields[.connection] == "keep-alive")
            try await kept.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await kept.readResponse().text == "/b")
            try await kept.close()
        }
    }

    /// A client that half-closes after a closing request and another one: the second is never
    /// handed to the responder (RFC 9112 §9.6), not even while the server finishes the input.
    @Test func nothingAfterAClosingRequestAtEndOfInput() async throws {
        struct Recording: HTTPResponder {
            let seen = NIOLockedValueBox<[String]>([])
            func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
                self.seen.withLockedValue { $0.append(request.request.path ?? "") }
                try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: "ok"))
            }
        }
        let responder = Recording()
        for _ in 0..<20 {
            try await withTestServer(responder: responder) { server in
                let connection = try await server.connect()
                try await connection.send("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n")
                try await connection.shutdownOutput()
                let rest = String(buffer: try await connection.readToEnd())
                #expect(rest.components(separatedBy: "HTTP/1.1 200").count == 2, "one response: \(rest.debugDescription)")
            }
        }
        #expect(responder.seen.withLockedValue { $0 } == Array(repeating: "/a", count: 20))
    }

    @Test func headResponsesHaveNoBody() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            try await connection.send("HEAD /abc HTTP/1.1\r\nHost: t\r\n\r\nGET /next HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await connection.readResponse(to: .head)
            #expect(head.headerFields[.contentLength] == "4")
            #expect(head.body.readableBytes == 0)
            #expect(try await connection.readResponse().text == "/next", "no stray body bytes before the next response")
            try await connection.close()
        }
    }

    @Test func streamedResponses() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            let response = try await connection.request(get("/stream"))
            #expect(response.headerFields[.transferEncoding] == "chunked")
            #expect(response.text == "one two three")
            #expect(response.trailers?[HTTPField.Name("X-Done")!] == "yes")

            let old = try await server.connect()
            try await old.send("GET /stream HTTP/1.0\r\n\r\n")
            let untilClose = try await old.readResponse()
            #expect(untilClose.head.framing == .untilClose)
            #expect(untilClose.text == "one two three")
            try await connection.close()
        }
    }

    @Test func requestBodies() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            let chunks = (0..<50).map { _ in "400\r\n" + String(repeating: "x", count: 1024) + "\r\n" }.joined()
            try await connection.send("POST /count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n")
            #expect(try await connection.readResponse().text == "51200")
            let body = ByteBuffer(repeating: 0x61, count: 300_000)
            var request = get("/count")
            request.method = .post
            #expect(try await connection.request(request, body: body).text == "300000")
            // A body the handler does not read is discarded when small and the connection reused.
            request.path = "/ignore-body"
            #expect(try await connection.request(request, body: ByteBuffer(string: "small")).status == .accepted)
            #expect(try await connection.request(get("/text/after")).text == "/text/after")
            try await connection.close()
        }
    }

    @Test func unreadLargeBodyClosesTheConnection() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            try await connection.send("POST /ignore-body HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\nstart")
            let response = try await connection.readResponse()
            #expect(response.status == .accepted)
            #expect(response.headerFields[.connection] == "close")
            _ = try await connection.readToEnd()
        }
    }

    @Test func expectContinue() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            try await connection.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await connection.readResponse(to: .post)
            #expect(interim.status == .continue)
            try await connection.send("hello")
            #expect(try await connection.readResponse(to: .post).text == "5")

            let refused = try await server.connect()
            try await refused.send("POST /ignore-body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let response = try await refused.readResponse(to: .post)
            #expect(response.status == .accepted, "no 100 Continue when the handler does not read")
            #expect(response.headerFields[.connection] == "close")
            try await connection.close()

            // HTTP/1.0: the expectation is ignored (RFC 9110 §10.1.1), the handler's read gets
            // no 100 in front of the answer.
            let old = try await server.connect()
            try await old.send("POST /count HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            try await old.send("hello")
            let answer = try await old.readResponse(to: .post)
            #expect(answer.status == .ok)
            #expect(answer.text == "5")
        }
    }

    @Test func bodyLimit() async throws {
        var configuration = ServerConfiguration()
        configuration.maxRequestBodySize = 100
        try await withTestServer(responder: TestResponder(), configuration: configuration) { server in
            let early = try await server.connect()
            try await early.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
            let refused = try await early.readResponse(to: .post)
            #expect(refused.status == .contentTooLarge)
            #expect(refused.headerFields[.connection] == "close")

            let chunked = try await server.connect()
            let chunks = String(repeating: "10\r\n0123456789abcdef\r\n", count: 10)
            try await chunked.send("POST /count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
            let tooLarge = try await chunked.readResponse(to: .post)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.headerFields[.connection] == "close")
        }
    }

    static let refused: [(String, Int)] = [
        ("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n", 400),
        ("BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n", 501),
        ("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: t\r\n" + (0..<101).map { "F\($0): v\r\n" }.joined() + "\r\n", 431),
        ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: br, chunked\r\n\r\n", 501),
        ("GET / HTTP/1.1\r\n\r\n", 400),
    ]

    @Test("wire errors become their status and close", arguments: refused.indices)
    func wireErrors(_ index: Int) async throws {
        let (text, status) = Self.refused[index]
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            try await connection.send(text)
            let response = try await connection.readResponse()
            #expect(response.status.code == status)
            #expect(response.headerFields[.connection] == "close")
            #expect(response.headerFields[.contentType] == "text/plain; charset=utf-8")
            #expect(try await connection.readToEnd().readableBytes == 0)
        }
    }

    @Test func handlerErrors() async throws {
        try await withTestServer(responder: TestResponder()) { server in
            let connection = try await server.connect()
            let teapot = try await connection.request(get("/fail/418"))
            #expect(teapot.status.code == 418)
            #expect(teapot.text.contains("failed on purpose"))
            let boom = try await connection.request(get("/boom"))
            #expect(boom.status == .internalServerError)
            #expect(!boom.text.contains("Boom"), "no internals without debug mode")
            #expect(try await connection.request(get("/text/alive")).text == "/text/alive")
        }
        var debug = ServerConfiguration()
        debug.debug = true
        try await withTestServer(responder: TestResponder(), configuration: debug) { server in
            let connection = try await server.connect()
            #expect(try await connection.request(get("/boom")).text.contains("Boom"))
        }
    }

    @Test func idleConnectionsClose() async throws {
        var configuration = ServerConfiguration()
        // Long enough that a loaded machine still gets the request in before the connection,
        // idle since it opened, times out; the test waits for the close, not for the clock.
        configuration.idleTimeout = .seconds(2)
        try await withTestServer(responder: TestResponder(), configuration: configuration) { server in
            let connection = try await server.connect()
            #expect(try await connection.request(get("/x")).status == .ok)
            #expect(try await connection.readToEnd().readableBytes == 0, "closed by the server once idle")
        }
    }

    /// The head deadline is enforced even while a much later idle deadline is pending.
    @Test(.timeLimit(.minutes(1))) func slowHeadTimesOut() async throws {
        var configuration = ServerConfiguration()
        configuration.headReadTimeout = .milliseconds(100)
        configuration.idleTimeout = .seconds(600)
        try await withTestServer(responder: TestResponder(), configuration: configuration) { server in
            let connection = try await server.connect()
            try await connection.send("GET / HTTP/1.1\r\nHost:")
            let response = try await connection.readResponse()
            #expect(response.status == .requestTimeout)
            #expect(try await connection.readToEnd().readableBytes == 0)
        }
    }

    /// A head cut short behind a whole request in the same read is held to the deadline too.
    @Test(.timeLimit(.minutes(1))) func slowHeadBehindAWholeRequestTimesOut() async throws {
        var configuration = ServerConfiguration()
        configuration.headReadTimeout = .milliseconds(100)
        configuration.idleTimeout = .seconds(600)
        try await withTestServer(responder: TestResponder(), configuration: configuration) { server in
            let connection = try await server.connect()
            try await connection.send("GET /first HTTP/1.1\r\nHost: t\r\n\r\nGET /second HTTP/1.1\r\nHost:")
            #expect(try await connection.readResponse().status == .ok)
            // Then a 408 for the unfinished head, or the close alone if the deadline passed
            // before the first response was out.
            let rest = String(buffer: try await connection.readToEnd())
            #expect(rest.isEmpty || rest.hasPrefix("HTTP/1.1 408 "), "got \(rest.debugDescription)")
        }
    }
}

/// Answers `/gate` once the test opens `release`, anything else at once; with the path.
struct GateResponder: HTTPResponder {
    let release = Gate()

    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        let path = request.request.path ?? ""
        if path == "/gate" { await self.release.wait() }
        try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: path))
    }
}

@Suite("Flushing pipelined responses")
struct PipelinedFlushTests {
    @Test(.timeLimit(.minutes(1)))
    func aResponseIsNotHeldBackByASuspendedOneBehindIt() async throws {
        let responder = GateResponder()
        try await withTestServer(responder: responder) { server in
            let connection = try await server.connect()
            try await connection.send(
                "GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\nGET /gate HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: t\r\n\r\n"
            )
            // Answered while `/gate` waits: the batch is flushed when its handler suspends.
            #expect(try await connection.readResponse().text == "/a")
            #expect(try await connection.readResponse().text == "/b")
            responder.release.open()
            #expect(try await connection.readResponse().text == "/gate")
            #expect(try await connection.readResponse().text == "/c")
            try await connection.close()
        }
    }
}
