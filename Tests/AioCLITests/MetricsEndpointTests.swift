import AioTestSupport
import AioTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `aio serve --metrics`: the server's swift-metrics in Prometheus's text format, as promtool
/// checks it; `/health` for load balancers.
@Suite("Metrics and health endpoints")
struct MetricsEndpointTests {
    @Test(.timeLimit(.minutes(1)))
    func prometheusTextFormat() async throws {
        let server = try await ServeProcess.start(["--metrics"])
        for path in ["/get", "/get", "/status/404", "/status/503", "/health"] {
            _ = try await ExternalProcess.run(["curl", "-sS", "-o", "/dev/null", server.url + path])
        }
        let metrics = try await ExternalProcess.run(["curl", "-sS", "-i", server.url + "/metrics"])
        #expect(metrics.output.lowercased().contains("content-type: text/plain; version=0.0.4"), "\(metrics.output)")
        let body = String(metrics.output[(metrics.output.range(of: "\r\n\r\n")?.upperBound ?? metrics.output.startIndex)...])
        // Three 2xx (two /get and /health), one 4xx, one 5xx: counted when each response ended.
        #expect(body.contains("aio_http_requests_total{status=\"2xx\"} 3"), "\(body)")
        #expect(body.contains("aio_http_requests_total{status=\"4xx\"} 1"), "\(body)")
        #expect(body.contains("aio_http_requests_total{status=\"5xx\"} 1"), "\(body)")
        #expect(body.contains("aio_http_request_duration_seconds_count 5"), "\(body)")
        #expect(body.contains("aio_http_open_connections"), "\(body)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try body.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try await ExternalProcess.run(["sh", "-c", "promtool check metrics < '\(file.path)'"])
        // promtool's exit 3 is "lint problems": swift-metrics has no help text to give, so every
        // family lacks `# HELP`; anything else (exit 1, another problem) is a real fault.
        let problems = (check.output + check.error).split(separator: "\n").filter { !$0.hasSuffix(" no help text") }
        #expect(check.status == 0 || check.status == 3, "\(check.output)\(check.error)")
        #expect(problems.isEmpty, "\(problems)")

        let health = try await ExternalProcess.run(["curl", "-sS", "-w", " %{http_code}", server.url + "/health"])
        #expect(health.output.hasSuffix(" 200") && health.output.contains("\"ok\""), "\(health.output)")
        server.process.send(SIGTERM)
        #expect(await server.process.waitForExit() == 0)
    }
}
