import AioHTTP
import AioTesting
import Foundation
import Testing

@testable import Proxy

@Suite struct ProxyTests {
    /// Something signalled once, waited for with a bound so that a proxy that buffers fails
    /// the test instead of hanging it.
    final class Signal: Sendable {
        private let stream: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation

        init() { (self.stream, self.continuation) = AsyncStream.makeStream() }

        func fire() { self.continuation.yield() }

        func wait(what: String) async throws {
            try await withThrowingTaskGroup { group in
                group.addTask { for await _ in self.stream { return }; throw CancellationError() }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    throw ProxyTestError("gave up after 10 s waiting for \(what): the proxy holds the body back")
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    struct ProxyTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The upstream the proxy forwards to: it shows what it received and streams on signals.
    func upstream(firstChunkReceived: Signal = Signal(), releaseRest: Signal = Signal()) -> Application {
        let app = Application()
        app.router.get("/headers") { request in
            try .json(Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { "\($0), \($1)" }))
        }
        // Counts the body as it arrives, saying when the first chunk is in.
        app.router.post("/count") { request in
            var count = 0
            for try await chunk in request.body {
                if count == 0 { firstChunkReceived.fire() }
                count += chunk.readableBytes
            }
            return .text("\(count) bytes, \(request.headers[.transferEncoding] ?? "no transfer coding")")
        }
        app.router.post("/echo") { request in
            .stream { writer in
                for try await chunk in request.body { try await writer.write(chunk) }
            }
        }
        // One chunk, then the rest only once the test has seen the first through the proxy.
        app.router.get("/drip") { _ in
            .stream { writer in
                try await writer.write(ByteBuffer(string: "first"))
                try await releaseRest.wait(what: "the first chunk to reach the client")
                try await writer.write(ByteBuffer(string: ", rest"))
            }
        }
        app.router.get("/moved") { _ in throw HTTPFound(location: "/elsewhere") }
        return app
    }

    /// Runs `body` with a session to the proxy in front of `upstream`.
    func withProxy(to upstream: Application, _ body: @escaping (ClientSession) async throws -> Void) async throws {
        try await upstream.test(.live) { upstreamClient in
            let proxy = try Proxy.makeApp(upstream: "http://127.0.0.1:\(upstreamClient.port ?? 0)")
            try await withLiveApp(proxy, body)
        }
    }

    @Test func dropsHopByHopFieldsAndSaysWhoAsked() async throws {
        try await withProxy(to: self.upstream()) { session in
            let headers: HTTPFields = [.connection: "keep-alive, X-Secret", HTTPField.Name("X-Secret")!: "1", HTTPField.Name("X-Kept")!: "2"]
            let seen = try await session.get("/headers", headers: headers).json(as: [String: String].self)
            #expect(seen["x-kept"] == "2")
            #expect(seen["x-secret"] == nil && seen["connection"] == nil)
            #expect(seen["x-forwarded-for"] == "127.0.0.1")
            #expect(seen["x-forwarded-proto"] == "http")
            #expect(seen["x-forwarded-host"]?.hasPrefix("127.0.0.1:") == true)
        }
    }

    @Test func streamsTheRequestBodyAsItArrives() async throws {
        let firstChunkReceived = Signal()
        try await withProxy(to: self.upstream(firstChunkReceived: firstChunkReceived)) { session in
            // The second chunk is written only once the upstream has the first: a proxy that
            // read the whole body before forwarding it would never get there.
            let (chunks, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            let producer = Task {
                continuation.yield(ByteBuffer(repeating: 1, count: 1000))
                do {
                    try await firstChunkReceived.wait(what: "the first chunk to reach the upstream")
                    continuation.yield(ByteBuffer(repeating: 2, count: 500_000))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            let response = try await session.post("/count", body: .stream(chunks))
            #expect(try await response.text() == "501000 bytes, chunked")
            await producer.value
        }
    }

    @Test func streamsTheResponseBodyAsItArrives() async throws {
        let releaseRest = Signal()
        try await withProxy(to: self.upstream(releaseRest: releaseRest)) { session in
            let response = try await session.get("/drip")
            var chunks = response.content.makeAsyncIterator()
            #expect(try await chunks.next().map { String(buffer: $0) } == "first")
            releaseRest.fire()
            #expect(try await chunks.next().map { String(buffer: $0) } == ", rest")
            #expect(try await chunks.next() == nil)
        }
    }

    @Test func echoesALargeBodyIntact() async throws {
        try await withProxy(to: self.upstream()) { session in
            let body = ByteBuffer(bytes: (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 12) })
            let response = try await session.post("/echo", body: .bytes(body))
            #expect(response.status == .ok)
            #expect(try await response.read() == body)
        }
    }

    @Test func passesRedirectsAndErrorsThroughUntouched() async throws {
        try await withProxy(to: self.upstream()) { session in
            let moved = try await session.get("/moved", allowRedirects: false)
            #expect(moved.status == .found)
            #expect(moved.headers[.location] == "/elsewhere")
            #expect(try await session.get("/missing").status == .notFound)
            let head = try await session.head("/headers")
            #expect(head.status == .ok)
        }
    }

    @Test func anUpstreamThatIsGoneIsABadGateway() async throws {
        // A port that was just listened on and is closed now.
        let closedPort = try await Application().test(.live) { client in client.port ?? 0 }
        try await withLiveApp(try Proxy.makeApp(upstream: "http://127.0.0.1:\(closedPort)")) { session in
            let response = try await session.get("/anything")
            #expect(response.status == .badGateway)
            #expect(try await response.text().hasPrefix("The upstream could not be reached"))
        }
    }
}
