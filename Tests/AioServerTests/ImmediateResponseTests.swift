import AioServer
import AioWire
import AioTesting
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Answers `/now/<x>` with its path and `/later` with a streamed body, both immediately when
/// asked so; every other request with its path and body size; logs which way each request went.
struct ImmediateResponder: HTTPResponder {
    let log = NIOLockedValueBox<[String]>([])

    func respondImmediately(to request: ServerRequest) -> ImmediateResponse? {
        let path = request.request.path ?? ""
        if path.hasPrefix("/now/") {
            self.log.withLockedValue { $0.append("immediate \(path)") }
            return .whole(HTTPResponse(status: .ok), body: ByteBuffer(string: path))
        }
        if path == "/later" {
            self.log.withLockedValue { $0.append("immediate \(path)") }
            return .later { writer in
                var body = try await writer.writeHead(HTTPResponse(status: .ok))
                await Task.yield()
                try await body.write(ByteBuffer(string: "streamed"))
                try await body.finish()
            }
        }
        return nil
    }

    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        let path = request.request.path ?? ""
        self.log.withLockedValue { $0.append("async \(path)") }
        if path.hasPrefix("/now/") && request.head.framing == .empty {
            try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: path))
            return
        }
        if path == "/later" {
            var body = try await writer.writeHead(HTTPResponse(status: .ok))
            try await body.write(ByteBuffer(string: "streamed"))
            try await body.finish()
            return
        }
        var count = 0
        for try await piece in request.body { count += piece.readableBytes }
        // A slow answer: a request pipelined behind it must still be answered after it.
        for _ in 0..<20 { await Task.yield() }
        try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: "\(path) \(count)"))
    }
}

@Suite("Immediate responses")
struct ImmediateResponseTests {
    @Test func bodilessRequestsAreAnsweredImmediatelyInOrder() async throws {
        let responder = ImmediateResponder()
        try await withTestServer(responder: responder) { server in
            let connection = try await server.connect()
            // An async answer first: the immediate ones pipelined behind it wait their turn.
            try await connection.send(
                "GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /now/1 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /later HTTP/1.1\r\nHost: t\r\n\r\nGET /now/2 HTTP/1.1\r\nHost: t\r\n\r\n"
            )
            #expect(try await connection.readResponse().text == "/slow 0")
            #expect(try await connection.readResponse().text == "/now/1")
            #expect(try await connection.readResponse().text == "streamed")
            #expect(try await connection.readResponse().text == "/now/2")

            // Alone on the connection: answered where it is parsed, HEAD without body bytes.
            let now = try await connection.request(get("/now/3"))
            #expect(now.text == "/now/3")
            #expect(now.headerFields[.contentLength] == "6")
            #expect(now.headerFields[.date] != nil)
            try await connection.send("HEAD /now/4 HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await connection.readResponse(to: .head)
            #expect(head.headerFields[.contentLength] == "6")
            #expect(head.body.readableBytes == 0)

            // A body always goes to `respond`, which reads it.
            let posted = try await connection.request(
                HTTPRequest(method: .post, scheme: "http", authority: "t", path: "/now/5"),
                body: ByteBuffer(string: "abc")
            )
            #expect(posted.text == "/now/5 3")
            try await connection.close()
        }
        let log = responder.log.withLockedValue { $0 }
        #expect(log.first == "async /slow")
        #expect(log.suffix(3) == ["immediate /now/3", "immediate /now/4", "async /now/5"])
    }

    @Test func pipelinedBatchIsAnsweredWhole() async throws {
        try await withTestServer(responder: ImmediateResponder()) { server in
            let connection = try await server.connect()
            // Answered within one read and flushed together: every response, in order.
            let batch = (1...32).map { "GET /now/\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined()
            try await connection.send(batch + "GET /later HTTP/1.1\r\nHost: t\r\n\r\n")
            for index in 1...32 {
                #expect(try await connection.readResponse().text == "/now/\(index)")
            }
            #expect(try await connection.readResponse().text == "streamed")
            try await connection.close()
        }
    }

    @Test func closingRequestAnsweredImmediatelyClosesTheConnection() async throws {
        try await withTestServer(responder: ImmediateResponder()) { server in
            let connection = try await server.connect()
            try await connection.send("GET /now/a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /now/b HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.text == "/now/a")
            #expect(response.headerFields[.connection] == "close")
            #expect(try await connection.readToEnd().readableBytes == 0)
        }
    }

    @Test func handlersOnThePoolAreNeverAskedImmediately() async throws {
        let responder = ImmediateResponder()
        var configuration = ServerConfiguration()
        configuration.runsHandlersOnEventLoop = false
        try await withTestServer(responder: responder, configuration: configuration) { server in
            let connection = try await server.connect()
            #expect(try await connection.request(get("/now/1")).text == "/now/1")
            try await connection.close()
        }
        #expect(responder.log.withLockedValue { $0 } == ["async /now/1"])
    }
}
