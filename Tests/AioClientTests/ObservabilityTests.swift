import AioClient
import AioWeb
import HTTPTypes
import InMemoryTracing
import MetricsTestKit
import NIOCore
import Testing
import Tracing

@Suite("Client and server spans, client metrics")
struct ObservabilityTests {
    /// An app that says which trace fields it received.
    static func app() -> Application {
        let app = echoApp()
        app.router.get("/fields") { request in
            .text("\(request.headers[HTTPField.Name(InMemoryTracer.traceIDKey)!] ?? "-") \(request.headers[HTTPField.Name(InMemoryTracer.spanIDKey)!] ?? "-")")
        }
        return app
    }

    @Test func eachHopIsAClientSpanWhoseContextTravelsInTheFields() async throws {
        let tracer = InMemoryTracer()
        let app = Self.app()
        _ = try app.freeze()
        try await withTestServerURL(app) { base in
            try await withClientSession(baseURL: base, middlewares: [.tracing(tracer: tracer)]) { (session: ClientSession) async throws -> Void in
                // A parent span of the caller's: the request's spans are its children.
                let parent = tracer.startSpan("caller")
                let fields = try await InstrumentationContext.$current.withValue(parent.context) {
                    try await session.get("/redirect/302?to=/fields").text()
                }
                parent.end()
                let spans = tracer.finishedSpans.filter { $0.operationName == "GET" }
                #expect(spans.count == 2, "one span per hop")
                #expect(spans.allSatisfy { $0.kind == .client && $0.traceID == parent.context.inMemorySpanContext?.traceID })
                #expect(spans.allSatisfy { $0.parentSpanID == parent.context.inMemorySpanContext?.spanID })
                let last = try #require(spans.last)
                #expect(fields == "\(last.traceID) \(last.spanID)", "the server got the hop's own span")
                #expect(last.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(200))
                #expect(last.attributes["url.full"]?.toSpanAttribute() == .string("\(base)/fields"))
                #expect(spans.first?.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(302))

                _ = try await session.get("/status/503")
                let failed = try #require(tracer.finishedSpans.last)
                #expect(failed.status?.code == .error)
                #expect(failed.attributes["error.type"]?.toSpanAttribute() == .string("503"))
            }
        }
        try await withClientSession(middlewares: [.tracing(tracer: tracer)]) { (session: ClientSession) async throws -> Void in
            await #expect(throws: ClientConnectorSocketError.self) { _ = try await session.get("http://127.0.0.1:1/") }
            let refused = try #require(tracer.finishedSpans.last)
            #expect(refused.errors.count == 1)
            #expect(refused.attributes["error.type"]?.toSpanAttribute() == .string("ClientConnectorSocketError"))
        }
    }

    @Test func thePoolAndRequestsAreMeasured() async throws {
        let metrics = TestMetrics()
        let app = Self.app()
        _ = try app.freeze()
        try await withTestServerURL(app) { base in
            let connector = ClientConnector(limit: 1, metricsFactory: metrics)
            try await withClientSession(baseURL: base, connector: connector) { (session: ClientSession) async throws -> Void in
                let big = try await session.get("/big")
                #expect(try metrics.expectGauge("aio_client_connections").lastValue == 1)
                async let second = session.get("/echo")
                // The second request waits for the only connection.
                while try metrics.expectGauge("aio_client_waiting_requests").lastValue != 1 { await Task.yield() }
                _ = try await big.read()
                _ = try await second.read()
                #expect(try metrics.expectGauge("aio_client_waiting_requests").lastValue == 0)
                #expect(try metrics.expectGauge("aio_client_idle_connections").lastValue == 1)
                let ok = try metrics.expectTimer("aio_client_request_duration", [("method", "GET"), ("status", "200")])
                #expect(ok.values.count == 2)
                #expect(ok.values.allSatisfy { $0 > 0 })
                _ = try? await session.get("http://127.0.0.1:1/")
                #expect(try metrics.expectTimer("aio_client_request_duration", [("method", "GET"), ("status", "error")]).values.count == 1)
            }
        }
    }

    @Test func theServerContinuesTheClientsTrace() async throws {
        let tracer = InMemoryTracer()
        let app = Application(middlewares: [.tracing(tracer: tracer)])
        app.router.get("/users/{id}") { request in
            // The handler's own span is a child of the request's.
            let span = tracer.startSpan("lookup")
            defer { span.end() }
            return .text("user \(request.matchInfo["id"] ?? "")")
        }
        app.router.get("/conflict") { _ -> Response in throw HTTPConflict() }
        app.router.get("/broken") { _ -> Response in throw CancellationError() }
        try await withTestServerURL(app) { base in
            try await withClientSession(baseURL: base, headers: [.userAgent: "spans/1"], middlewares: [.tracing(tracer: tracer)]) { (session: ClientSession) async throws -> Void in
                #expect(try await session.get("/users/a%20b").text() == "user a b")
                let client = try #require(tracer.finishedSpans.first { $0.kind == .client })
                let server = try #require(tracer.finishedSpans.first { $0.kind == .server })
                let lookup = try #require(tracer.finishedSpans.first { $0.operationName == "lookup" })
                #expect(server.operationName == "GET /users/{id}", "named by its route, not its path")
                #expect(server.traceID == client.traceID && server.parentSpanID == client.spanID)
                #expect(lookup.traceID == client.traceID && lookup.parentSpanID == server.spanID)
                #expect(server.attributes["http.route"]?.toSpanAttribute() == .string("/users/{id}"))
                #expect(server.attributes["url.path"]?.toSpanAttribute() == .string("/users/a b"))
                #expect(server.attributes["client.address"]?.toSpanAttribute() == .string("127.0.0.1"))
                #expect(server.attributes["user_agent.original"]?.toSpanAttribute() == .string("spans/1"))
                #expect(server.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(200))
                #expect(server.status == nil)

                // A client error is not the server's; a thrown error is, and so is an unrouted
                // path's span named by its method alone.
                #expect(try await session.get("/conflict").status == .conflict)
                let conflict = try #require(tracer.finishedSpans.last { $0.kind == .server })
                #expect(conflict.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(409))
                #expect(conflict.status == nil)
                #expect(try await session.get("/broken").status == .internalServerError)
                let broken = try #require(tracer.finishedSpans.last { $0.kind == .server })
                #expect(broken.status?.code == .error)
                #expect(broken.attributes["error.type"]?.toSpanAttribute() == .string("CancellationError"))
                #expect(broken.errors.count == 1)
                #expect(try await session.get("/nowhere").status == .notFound)
                #expect(tracer.finishedSpans.last { $0.kind == .server }?.operationName == "GET")
            }
        }
    }
}
