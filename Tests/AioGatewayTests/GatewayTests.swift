import AioGateway
import AioWire
import AioServer
import AioTesting
import Foundation
import HTTPTypes
import NIOCore
import Synchronization
import Testing

@Suite("Gateway: swift-http-types handlers")
struct GatewayTests {
    /// Sends `request` on a new connection and reads the response.
    func exchange<Responder: HTTPResponder>(
        _ server: TestServer<Responder>,
        _ request: String,
        method: HTTPRequest.Method = .get
    ) async throws -> TestResponse {
        let connection = try await server.connect()
        try await connection.send(request)
        let response = try await connection.readResponse(to: method)
        try await connection.close()
        return response
    }

    /// Echoes the body with what the handler saw: method, path, the body's length as it came.
    static let echo = { @Sendable (request: HTTPRequest, body: RequestBody, _: Gateway.RequestContext) async throws -> (HTTPResponse, Gateway.ResponseBody) in
        let expected = body.expectedLength.map(String.init) ?? "unknown"
        var pieces = 0
        var whole = ByteBuffer()
        for try await var piece in body {
            pieces += 1
            whole.writeBuffer(&piece)
        }
        var response = HTTPResponse(status: .ok)
        response.headerFields[HTTPField.Name("X-Seen")!] = "\(request.method.rawValue) \(request.path ?? "") \(expected) \(pieces)"
        return (response, .bytes(whole))
    }

    @Test(.timeLimit(.minutes(1)))
    func bufferedBodiesArriveWholeWithinTheLimit() async throws {
        let calls = Mutex(0)
        let gateway = Gateway(readPayload: .buffered(limit: 64)) { request, body, context in
            calls.withLock { $0 += 1 }
            return try await Self.echo(request, body, context)
        }
        try await withTestServer(responder: gateway) { (server: TestServer<Gateway>) async throws -> Void in
            // Chunked, in three pieces: the handler sees one buffer of known length.
            let chunked = "POST /a?b=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n"
            let response = try await self.exchange(server, chunked)
            #expect(response.head.response.headerFields[HTTPField.Name("X-Seen")!] == "POST /a?b=1 6 1")
            #expect(String(buffer: response.body) == "abcdef")
            // Past the limit: 413, the handler never runs.
            let declared = try await self.exchange(server, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65\r\n\r\n" + String(repeating: "x", count: 65))
            #expect(declared.status == .contentTooLarge)
            #expect(declared.head.response.headerFields[HTTPField.Name("X-Seen")!] == nil)
            let grown = try await self.exchange(server, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n\(String(repeating: "y", count: 64))\r\n1\r\nz\r\n0\r\n\r\n")
            #expect(grown.status == .contentTooLarge)
            #expect(calls.withLock { $0 } == 1, "only the first request reached the handler")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func streamedBodiesArriveAsTheyCome() async throws {
        let gateway = Gateway(readPayload: .streamed, handler: Self.echo)
        try await withTestServer(responder: gateway) { (server: TestServer<Gateway>) async throws -> Void in
            let connection = try await server.connect()
            try await connection.send("PUT /up HTTP/1.1\r\nHost: h\r\nContent-Length: 200000\r\n\r\n")
            for _ in 0..<4 { try await connection.send(String(repeating: "s", count: 50000)) }
            let response = try await connection.readResponse()
            let seen = response.head.response.headerFields[HTTPField.Name("X-Seen")!] ?? ""
            #expect(seen.hasPrefix("PUT /up 200000 "))
            #expect((Int(seen.split(separator: " ").last ?? "") ?? 0) > 1, "pieces: \(seen)")
            #expect(response.body.readableBytes == 200000)
            try await connection.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func responseBodiesOfEveryKind() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).bin")
        let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(content).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let gateway = Gateway { request, _, _ in
            switch request.path {
            case "/file":
                return (HTTPResponse(status: .ok), .file(path: file.path))
            case "/file-part":
                return (HTTPResponse(status: .ok), .file(path: file.path, offset: 1000, count: 10))
            case "/missing":
                return (HTTPResponse(status: .ok), .file(path: file.path + ".missing"))
            case "/missing-part":
                return (HTTPResponse(status: .ok), .file(path: file.path + ".missing", count: 10))
            case "/directory":
                return (HTTPResponse(status: .ok), .file(path: FileManager.default.temporaryDirectory.path))
            case "/past-the-end":
                return (HTTPResponse(status: .ok), .file(path: file.path, offset: 299_995, count: 10))
            case "/stream":
                return (HTTPResponse(status: .ok), .stream { writer in
                    for piece in ["one ", "two ", "three"] { try await writer.write(ByteBuffer(string: piece)) }
                    return [HTTPField.Name("X-Checksum")!: "42"]
                })
            case "/sequence":
                let pieces = AsyncStream<ByteBuffer> { continuation in
                    for index in 0..<3 { continuation.yield(ByteBuffer(string: "\(index)")) }
                    continuation.finish()
                }
                return (HTTPResponse(status: .ok), .stream(pieces, length: 3))
            case "/fail":
                throw Refusal()
            default:
                return (HTTPResponse(status: .notFound), .empty)
            }
        }
        try await withTestServer(responder: gateway) { (server: TestServer<Gateway>) async throws -> Void in
            let whole = try await self.exchange(server, "GET /file HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(whole.head.response.headerFields[.contentLength] == "300000")
            #expect(Array(whole.body.readableBytesView) == content)
            let part = try await self.exchange(server, "GET /file-part HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(Array(part.body.readableBytesView) == Array(content[1000..<1010]))
            let head = try await self.exchange(server, "HEAD /file HTTP/1.1\r\nHost: h\r\n\r\n", method: .head)
            #expect(head.head.response.headerFields[.contentLength] == "300000" && head.body.readableBytes == 0)
            // A file that cannot be sent is answered 500 before any 200 goes out.
            for path in ["/missing", "/missing-part", "/directory", "/past-the-end"] {
                #expect(try await self.exchange(server, "GET \(path) HTTP/1.1\r\nHost: h\r\n\r\n").status == .internalServerError, "\(path)")
            }
            let stream = try await self.exchange(server, "GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(stream.head.response.headerFields[.transferEncoding] == "chunked")
            #expect(String(buffer: stream.body) == "one two three")
            #expect(stream.trailers?[HTTPField.Name("X-Checksum")!] == "42")
            let sequence = try await self.exchange(server, "GET /sequence HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(sequence.head.response.headerFields[.contentLength] == "3" && String(buffer: sequence.body) == "012")
            let refused = try await self.exchange(server, "GET /fail HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("taken"))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theContextNamesTheClientAsTheTrustRulesSay() async throws {
        let gateway = Gateway { _, _, context in
            let text = "\(context.remoteAddress?.ipAddress ?? "-") \(context.scheme) \(context.host ?? "-") \(context.localAddress?.port ?? 0)"
            return (HTTPResponse(status: .ok), .bytes(ByteBuffer(string: text)))
        }
        var configuration = ServerConfiguration()
        configuration.forwarded = ForwardedHeaders(trustedNetworks: [try NetworkRange("127.0.0.0/8")], source: .xForwarded)
        try await withTestServer(responder: gateway, configuration: configuration) { (server: TestServer<Gateway>) async throws -> Void in
            let port = server.port
            let direct = try await self.exchange(server, "GET / HTTP/1.1\r\nHost: direct\r\n\r\n")
            #expect(String(buffer: direct.body) == "127.0.0.1 http direct \(port)")
            let relayed = try await self.exchange(
                server,
                "GET / HTTP/1.1\r\nHost: direct\r\nX-Forwarded-For: 198.51.100.2\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n\r\n"
            )
            #expect(String(buffer: relayed.body) == "198.51.100.2 https shop.example \(port)")
        }
    }
}

/// A handler's refusal, answered with its own status.
struct Refusal: HTTPProcessingError {
    var status: HTTPResponse.Status { .conflict }
    var message: String { "That name is taken" }
    var headers: HTTPFields { [:] }
    var offset: Int? { nil }
    var description: String { self.message }
}
