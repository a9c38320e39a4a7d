import AioClient
import AioWeb
import HTTPTypes
import NIOCore
import Testing

@Suite("Client request options")
struct RequestOptionsTests {
    // MARK: Expect: 100-continue

    @Test func aBodyWaitsForOneHundredContinue() async throws {
        // aio's server sends 100 Continue when the handler reads the body.
        try await withServedApp(echoApp()) { (session: ClientSession, _: String) async throws -> Void in
            let response = try await session.request(.post, "/echo", body: .text("after the 100"), expect100: true)
            let echo = try await response.json(as: Echo.self)
            #expect(echo.body == "after the 100")
            #expect(response.requestInfo.headers[.expect] == "100-continue")
        }
    }

    @Test func interimAnswersComeBeforeTheFinalOne() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            let head = try #require(try await inbound.readHead())
            #expect(head.lowercased().contains("expect: 100-continue\r\n"))
            #expect(head.hasSuffix("\r\n\r\n"), "nothing of the body before the 100")
            try await outbound.write("HTTP/1.1 100 Continue\r\n\r\n")
            var body = ""
            while body.utf8.count < 5, let piece = try await inbound.next() { body += String(buffer: piece) }
            // Any number of other interim answers may precede the final one (RFC 9110 §15.2).
            try await outbound.write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
            try await outbound.write("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            let response = try await session.request(.put, server.url, body: .text("hello"), expect100: true)
            #expect(try await response.text() == "hello")
        }
        await server.stop()
    }

    @Test func aFinalAnswerInsteadOfOneHundredKeepsTheBodyBack() async throws {
        let server = try await RawServer.start { inbound, outbound, number in
            let head = try #require(try await inbound.readHead())
            #expect(head.hasSuffix("\r\n\r\n"))
            try await outbound.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\nnope")
            // The client closes the connection without sending the body: the server may be
            // waiting for it, so the connection cannot carry another request.
            let rest = try await inbound.next()
            #expect(rest == nil, "connection \(number) got \(rest.map { String(buffer: $0) } ?? "")")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            for _ in 0..<2 {
                // A wait for the answer no busy test machine reaches.
                let response = try await session.request(
                    .post, server.url, body: .text("secret upload"), timeout: ClientTimeout(expectContinue: 60), expect100: true
                )
                #expect(response.status == .unauthorized)
                #expect(try await response.text() == "nope")
            }
        }
        await server.stop()
    }

    @Test func aSilentServerGetsTheBodyAfterAWhile() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            var received = try #require(try await inbound.readHead())
            while !received.hasSuffix("late body"), let piece = try await inbound.next() { received += String(buffer: piece) }
            try await outbound.write("HTTP/1.1 204 No Content\r\n\r\n")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            let response = try await session.request(
                .post, server.url, headers: [.expect: "100-continue"], body: .text("late body"), timeout: ClientTimeout(expectContinue: 0.2)
            )
            #expect(response.status == .noContent)
        }
        await server.stop()
    }

    // MARK: Compression

    @Test(arguments: [RequestCompression.gzip, .deflate])
    func bodiesAreCompressedOnRequest(_ coding: RequestCompression) async throws {
        let text = String(repeating: "compress me, ", count: 2000)
        try await withServedApp(echoApp()) { (session: ClientSession, _: String) async throws -> Void in
            // In memory: compressed at once, with its length.
            let whole = try await session.request(.post, "/echo", body: .text(text), compress: coding)
            #expect(whole.requestInfo.headers[.contentEncoding] == coding.rawValue)
            #expect(try await whole.json(as: Echo.self).body == text)
            // A stream: compressed as it goes, chunked.
            let pieces = text.utf8.chunked(into: 1000).map { ByteBuffer(bytes: $0) }
            let stream = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                for piece in pieces { continuation.yield(piece) }
                continuation.finish()
            }
            let streamed = try await session.request(.post, "/echo", body: .stream(stream), compress: coding)
            #expect(try await streamed.json(as: Echo.self).body == text)
            await #expect(throws: ClientRequestError.self) {
                _ = try await session.request(.post, "/echo", headers: [.contentEncoding: "br"], body: .text(text), compress: coding)
            }
        }
    }

    // MARK: Status checks

    @Test func statusChecksRunOnFinalResponses() async throws {
        struct Teapot: Error {}
        let check = StatusCheck.custom { response in
            if response.status.code == 418 { throw Teapot() }
        }
        try await withServedApp(echoApp(), raiseForStatus: check) { (session: ClientSession, _: String) async throws -> Void in
            await #expect(throws: Teapot.self) { _ = try await session.get("/status/418") }
            // Redirects followed are not checked; the final response is.
            await #expect(throws: Teapot.self) { _ = try await session.get("/redirect/302?to=/status/418") }
            #expect(try await session.get("/status/404").status == .notFound)
            // A request's own check replaces the session's.
            await #expect(throws: ClientResponseStatusError.self) {
                _ = try await session.request(.get, "/status/404", raiseForStatus: true)
            }
            #expect(try await session.request(.get, "/status/418", raiseForStatus: false).status.code == 418)
        }
    }

    // MARK: What a response says about itself

    @Test func linksDispositionAndRequestInfo() async throws {
        let app = Application()
        app.router.get("/items") { _ in
            Response(
                status: .ok,
                headers: [
                    HTTPField.Name("Link")!: #"<https://example.com/items?page=2>; rel="next", </items?page=9>; rel=last; title="the, end""#,
                    HTTPField.Name("Link")!: "<other>; crossorigin; rel=preload",
                    .contentDisposition: #"attachment; filename="plain.txt"; filename*=UTF-8''na%C3%AFve.txt"#,
                ]
            )
        }
        try await withServedApp(app) { (session: ClientSession, base: String) async throws -> Void in
            let response = try await session.get("/items?page=1#top", headers: [.accept: "text/plain"])
            let links = response.links
            #expect(links["next"]?.url == "https://example.com/items?page=2")
            #expect(links["last"]?.url == "\(base)/items?page=9")
            #expect(links["last"]?.parameters["title"] == "the, end")
            #expect(links["preload"]?.url == "\(base)/other")
            #expect(links["preload"]?.parameters["crossorigin"] == "")
            #expect(links.count == 3)
            #expect(response.contentDisposition?.type == "attachment")
            #expect(response.contentDisposition?.filename == "naïve.txt")
            let info = response.requestInfo
            #expect(info.method == .get)
            #expect(info.url == "\(base)/items?page=1")
            #expect(info.realURL == "\(base)/items?page=1#top")
            #expect(info.headers[.accept] == "text/plain")
        }
    }
}

extension Collection {
    /// The collection in consecutive pieces of `size` elements (the last may be shorter).
    func chunked(into size: Int) -> [SubSequence] {
        stride(from: 0, to: self.count, by: size).map { offset in
            let start = self.index(self.startIndex, offsetBy: offset)
            return self[start..<(self.index(start, offsetBy: size, limitedBy: self.endIndex) ?? self.endIndex)]
        }
    }
}
