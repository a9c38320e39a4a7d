import AioServer
import AioTestSupport
import AioTesting
import Foundation
import Testing

@testable import aio

/// `../shared/conformance/harness.py` against `aio echo`'s responder on a live server: every
/// scored strict case of llhttp's corpus must pass, with Host added where missing and with
/// missing Host refused.
@Suite("llhttp harness against aio echo")
struct EchoHarnessTests {
    static var harness: URL { Corpus.directory.appendingPathComponent("harness.py") }

    /// Runs the harness with `arguments` and returns its summary line and its failure detail.
    ///
    /// Each case may take 5 s (the harness's default is 2 s): the suite shares two cores with
    /// Autobahn, Chromium and the Python peers.
    static func runHarness(port: Int, _ arguments: [String]) async throws -> (summary: String, failures: String) {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("aio-harness-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: report) }
        let result = try await ExternalProcess.run(
            ["python3", harness.path, "--port", "\(port)", "--timeout", "5", "--report", report.path, "--json", "/dev/null"] + arguments
        )
        let summary = result.output.split(separator: "\n").first.map(String.init) ?? result.error
        return (summary, String(((try? String(contentsOf: report, encoding: .utf8)) ?? "").prefix(2000)))
    }

    @Test(.timeLimit(.minutes(2)))
    func everyScoredCasePasses() async throws {
        try await withTestServer(responder: EchoResponder()) { server in
            async let addHost = Self.runHarness(port: server.port, ["--add-host"])
            async let hostRequired = Self.runHarness(port: server.port, ["--host-required"])
            let (withHost, requiringHost) = try await (addHost, hostRequired)
            #expect(withHost.summary == "122 passed, 0 failed", "\(withHost.failures)")
            #expect(requiringHost.summary == "122 passed, 0 failed", "\(requiringHost.failures)")
        }
    }

    /// An absolute-form target: the path and query are the target's own, not the whole URL.
    @Test func absoluteFormPath() async throws {
        try await withTestServer(responder: EchoResponder()) { server in
            let connection = try await server.connect()
            try await connection.send("GET http://localhost/path?x=1 HTTP/1.1\r\nHost: other\r\n\r\n")
            let response = try await connection.readResponse()
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            #expect(json["target"] as? String == "http://localhost/path?x=1")
            #expect(json["path"] as? String == "/path")
            #expect(json["query"] as? String == "x=1")
            try await connection.close()
        }
    }
}
