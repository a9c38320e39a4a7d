import AioClient
import AioServer
import AioTesting
import AioWeb
import HTTPTypes
import NIOCore
import Synchronization
import Testing

/// Answers names from a table, counting the lookups.
final class TableResolver: HostResolver {
    let table: [String: String]
    let lookups = Mutex(0)

    init(_ table: [String: String]) {
        self.table = table
    }

    struct Unknown: Error {}

    func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        self.lookups.withLock { $0 += 1 }
        guard let address = self.table[host] else { throw Unknown() }
        return [try SocketAddress(ipAddress: address, port: port)]
    }
}

/// Every hook of a configuration, writing its name (and the trace context given) to a list.
final class TraceRecorder: Sendable {
    let events = Mutex<[String]>([])
    let queued = AsyncStream<Void>.makeStream()

    var config: TraceConfig {
        var config = TraceConfig()
        func note(_ name: String) -> @Sendable (TraceRequestContext) -> Void {
            { [self] context in
                self.events.withLock { $0.append(name) }
                if name == "queuedStart" { self.queued.continuation.yield() }
                if let tag = context.traceRequestContext as? String { context["tag"] = tag }
            }
        }
        let start = note("start"), headers = note("headersSent"), chunkSent = note("chunkSent")
        let chunkReceived = note("chunkReceived"), redirect = note("redirect"), end = note("end")
        let queuedStart = note("queuedStart"), queuedEnd = note("queuedEnd"), createStart = note("createStart")
        let createEnd = note("createEnd"), reuse = note("reuse"), dnsStart = note("dnsStart"), dnsEnd = note("dnsEnd")
        let hit = note("dnsHit"), miss = note("dnsMiss")
        config.onRequestStart.append { context, _ in start(context) }
        config.onRequestHeadersSent.append { context, _ in headers(context) }
        config.onRequestChunkSent.append { context, _ in chunkSent(context) }
        config.onResponseChunkReceived.append { context, _ in chunkReceived(context) }
        config.onRequestRedirect.append { context, params in
            #expect(params.response.status == .found)
            redirect(context)
        }
        config.onRequestEnd.append { context, params in
            #expect(context["tag"] as? String == context.traceRequestContext as? String)
            #expect(params.response.status.code < 300)
            end(context)
        }
        config.onRequestException.append { _, params in
            self.events.withLock { $0.append("exception:\(type(of: params.error))") }
        }
        config.onConnectionQueuedStart.append { context, _ in queuedStart(context) }
        config.onConnectionQueuedEnd.append { context, _ in queuedEnd(context) }
        config.onConnectionCreateStart.append { context, _ in createStart(context) }
        config.onConnectionCreateEnd.append { context, _ in createEnd(context) }
        config.onConnectionReuseconn.append { context, _ in reuse(context) }
        config.onDnsResolvehostStart.append { context, _ in dnsStart(context) }
        config.onDnsResolvehostEnd.append { context, params in
            #expect(!params.addresses.isEmpty)
            dnsEnd(context)
        }
        config.onDnsCacheHit.append { context, _ in hit(context) }
        config.onDnsCacheMiss.append { context, _ in miss(context) }
        return config
    }

    /// The events so far, and forgets them.
    func take() -> [String] {
        self.events.withLock { events in
            defer { events = [] }
            return events
        }
    }
}

@Suite("Client tracing, resolver and sockets")
struct TracingAndResolverTests {
    static func app() -> Application {
        let app = echoApp()
        app.router.get("/close") { _ in Response(status: .ok, headers: [.connection: "close"], body: .buffer(ByteBuffer(string: "bye"))) }
        return app
    }

    @Test(.timeLimit(.minutes(1)))
    func everyHookFiresInOrder() async throws {
        let app = Self.app()
        _ = try app.freeze()
        try await withTestServerURL(app) { base in
            let port = Int(base.split(separator: ":").last!)!
            let resolver = TableResolver(["app.test": "127.0.0.1"])
            let recorder = TraceRecorder()
            let connector = ClientConnector(limit: 1, resolver: resolver)
            try await withClientSession(
                baseURL: "http://app.test:\(port)", connector: connector, traceConfigs: [recorder.config]
            ) { (session: ClientSession) async throws -> Void in
                let redirected = try await session.request(.get, "/redirect/302?to=/echo", traceRequestContext: "first")
                _ = try await redirected.read()
                #expect(recorder.take() == [
                    "start", "createStart", "dnsMiss", "dnsStart", "dnsEnd", "createEnd", "headersSent", "redirect",
                    "start", "reuse", "headersSent", "end", "chunkReceived",
                ])
                // A body sent: one piece in memory.
                _ = try await session.post("/echo", body: .text("up")).read()
                #expect(recorder.take() == ["start", "reuse", "headersSent", "chunkSent", "end", "chunkReceived"])
                // The server closes the connection: the next one finds the name in the cache.
                _ = try await session.get("/close").read()
                _ = recorder.take()
                _ = try await session.get("/close").read()
                #expect(recorder.take() == ["start", "createStart", "dnsHit", "createEnd", "headersSent", "end", "chunkReceived"])
                #expect(resolver.lookups.withLock { $0 } == 1)
                session.clearDNSCache(host: "APP.test")
                _ = try await session.get("/echo").read()
                #expect(recorder.take().contains("dnsMiss"))
                #expect(resolver.lookups.withLock { $0 } == 2)

                // With the only connection busy, a second request waits in line.
                let big = try await session.get("/big")
                async let second = session.get("/echo")
                for await _ in recorder.queued.stream { break }
                _ = try await big.read()
                _ = try await second.read()
                let events = recorder.take()
                #expect(events.contains("queuedStart") && events.contains("queuedEnd"))

                // A name the resolver does not know.
                await #expect(throws: ClientConnectorDNSError.self) { _ = try await session.get("http://nowhere.test/") }
                #expect(recorder.take().last == "exception:ClientConnectorFailure<DNS>")
            }
        }
    }

    @Test func theSystemResolverFindsLocalhostAndRefusesNonsense() async throws {
        let addresses = try await ThreadedResolver().resolve(host: "localhost", port: 8080)
        #expect(addresses.contains { $0.ipAddress == "127.0.0.1" || $0.ipAddress == "::1" })
        #expect(addresses.allSatisfy { $0.port == 8080 })
        await #expect(throws: ThreadedResolver.Failure.self) {
            _ = try await ThreadedResolver().resolve(host: "no-such-host.invalid", port: 80)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aUnixSocketConnectorAndALocalAddress() async throws {
        let app = Self.app()
        _ = try app.freeze()
        let path = "/tmp/aio-client-\(UInt32.random(in: 0...UInt32.max)).sock"
        let server = HTTPServer(responder: try ApplicationResponder(app), configuration: ServerConfiguration(address: .unixDomainSocket(path: path)))
        let running = Task { try await server.run() }
        _ = try await server.localAddress()
        let connector = ClientConnector(unixSocketPath: path)
        try await withClientSession(connector: connector) { (session: ClientSession) async throws -> Void in
            let echo = try await session.get("http://anything.example/echo?via=unix").json(as: Echo.self)
            #expect(echo.query == "via=unix")
        }
        await server.shutdown()
        try await running.value
        // Nobody listens there any more.
        try await withClientSession(connector: connector) { (session: ClientSession) async throws -> Void in
            await #expect(throws: UnixClientConnectorError.self) { _ = try await session.get("http://anything.example/") }
        }
        try await withTestServerURL(app) { base in
            let connector = ClientConnector(localAddress: try SocketAddress(ipAddress: "127.0.0.2", port: 0))
            try await withClientSession(baseURL: base, connector: connector) { (session: ClientSession) async throws -> Void in
                // The server saw the connection come from the local address chosen.
                let echo = try await session.get("/echo").json(as: Echo.self)
                #expect(echo.address == "127.0.0.2")
            }
        }
    }
}
