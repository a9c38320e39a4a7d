import AioServer
import AioTestSupport
import AioTesting
import AioWeb
import Foundation
import Testing

@testable import aio

@Suite("aio serve with real clients")
struct HttpbinInteropTests {
    /// requests, httpx and aiohttp clients, raw sockets, and the reference httpbin side by side.
    @Test(.timeLimit(.minutes(2)))
    func pythonClientsAndReference() async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        try await withTestServer(responder: try ApplicationResponder(app)) { server in
            let result = try await ExternalProcess.run([
                try peerPython, repositoryRoot.appendingPathComponent("Tests/Interop/httpbin_clients.py").path,
                "--url", "http://127.0.0.1:\(server.port)",
            ])
            #expect(result.status == 0, "\(result.output)\n\(result.error)")
            #expect(result.output.contains("cases x 3 clients passed"), "\(result.output)")
        }
    }

    /// curl: HTTP/1.0, HTTP/1.1 keep-alive across requests, gzip, a chunked upload.
    @Test func curl() async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        try await withTestServer(responder: try ApplicationResponder(app)) { server in
            let base = "http://127.0.0.1:\(server.port)"
            let old = try await ExternalProcess.run(["curl", "-s", "--http1.0", "-i", "\(base)/get"])
            #expect(old.output.hasPrefix("HTTP/1.1 200 OK"))
            #expect(old.output.contains("Connection: close"))
            let reused = try await ExternalProcess.run(["curl", "-s", "-v", "\(base)/get", "\(base)/headers"])
            #expect(reused.error.contains("Re-using existing connection"), "\(reused.error)")
            let gzip = try await ExternalProcess.run(["curl", "-s", "--compressed", "\(base)/gzip"])
            #expect(gzip.output.contains("\"gzipped\": true"))
            let upload = try await ExternalProcess.run([
                "curl", "-s", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: text/plain",
                "--data-binary", "hello chunked", "\(base)/post",
            ])
            #expect(upload.output.contains("\"data\": \"hello chunked\""), "\(upload.output)")
        }
    }
}
