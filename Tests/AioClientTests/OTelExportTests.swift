import AioClient
import AioTestSupport
import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import Logging
import OTel
import ServiceLifecycle
import Testing

/// The server and client tracing middlewares with swift-otel's tracer: W3C `traceparent` read
/// and written by its propagator, spans exported over OTLP/HTTP (protobuf) to a real collector
/// (`Tests/Interop/otlp_collector.py`, decoding with `opentelemetry-proto`).
@Suite("Spans exported with swift-otel over OTLP/HTTP")
struct OTelExportTests {
    /// A span as the collector printed it.
    struct CollectedSpan: Decodable {
        var service: String?
        var trace_id: String
        var span_id: String
        var parent_span_id: String
        var name: String
        var kind: String
        var status: Int
        var attributes: [String: Attribute]
    }

    /// An attribute's value: OTLP's string or integer.
    enum Attribute: Decodable, Equatable {
        case string(String)
        case int(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let int = try? container.decode(Int.self) {
                self = .int(int)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func serverAndClientSpansReachACollectorInOneTrace() async throws {
        let collector = try RunningProcess([try peerPython, repositoryRoot.appendingPathComponent("Tests/Interop/otlp_collector.py").path])
        defer { collector.send(SIGKILL) }
        var port: Int?
        while port == nil, let line = await collector.nextLine() {
            if line.hasPrefix("listening on ") { port = Int(line.dropFirst("listening on ".count)) }
        }
        let collectorPort = try #require(port, "the collector did not start")

        var configuration = OTel.Configuration.default
        configuration.serviceName = "aio-otel-test"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = "http://127.0.0.1:\(collectorPort)/v1/traces"
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        let tracer = backend.factory

        let app = Application(middlewares: [.tracing(tracer: tracer)])
        app.router.get("/notes/{id}") { request in .text(request.headers[HTTPField.Name("traceparent")!] ?? "-") }
        _ = try app.freeze()

        // A caller's own W3C context, written by hand; then our client's span, written by the propagator.
        let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        let callerSpan = "00f067aa0ba902b7"
        let services = ServiceGroup(services: [backend.service], logger: Logger(label: "otel"))
        let sent = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            let sent: String
            do {
                sent = try await withTestServerURL(app) { base in
                    try await withClientSession(baseURL: base) { (session: ClientSession) async throws -> Void in
                        _ = try await session.get("/notes/7", headers: [HTTPField.Name("traceparent")!: "00-\(callerTrace)-\(callerSpan)-01"]).read()
                    }
                    return try await withClientSession(baseURL: base, middlewares: [.tracing(tracer: tracer)]) { (session: ClientSession) async throws -> String in
                        try await session.get("/notes/8").text()
                    }
                }
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            // Shutting the exporter down sends what it holds; the collector prints before it answers.
            await services.triggerGracefulShutdown()
            try await tasks.next()
            return sent
        }
        collector.send(SIGTERM)
        var spans: [CollectedSpan] = []
        while let line = await collector.nextLine() {
            #expect(!line.hasPrefix("rejected"), "\(line)")
            guard line.hasPrefix("span ") else { continue }
            spans.append(try JSONDecoder().decode(CollectedSpan.self, from: Data(line.dropFirst("span ".count).utf8)))
        }

        let servers = spans.filter { $0.kind == "SPAN_KIND_SERVER" }
        let clients = spans.filter { $0.kind == "SPAN_KIND_CLIENT" }
        try #require(servers.count == 2 && clients.count == 1, "\(spans)")
        #expect(spans.allSatisfy { $0.service == "aio-otel-test" })

        // The caller's traceparent: the server span continues the caller's trace, as its child.
        let continued = try #require(servers.first { $0.attributes["url.path"] == .string("/notes/7") })
        #expect(continued.trace_id == callerTrace && continued.parent_span_id == callerSpan)
        #expect(continued.name == "GET /notes/{id}")
        #expect(continued.attributes["http.route"] == .string("/notes/{id}"))
        #expect(continued.attributes["http.response.status_code"] == .int(200))
        #expect(continued.status == 0, "unset: a 200 is not an error")

        // Our client's span: its context went out in traceparent, and the server span is its child.
        let client = clients[0]
        let child = try #require(servers.first { $0.attributes["url.path"] == .string("/notes/8") })
        #expect(client.name == "GET" && client.parent_span_id.isEmpty)
        #expect(client.attributes["http.response.status_code"] == .int(200))
        #expect(child.trace_id == client.trace_id && child.parent_span_id == client.span_id)
        #expect(child.trace_id != callerTrace)
        #expect(sent == "00-\(client.trace_id)-\(client.span_id)-01", "the field as the server received it")
    }
}
