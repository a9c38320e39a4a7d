import AioTesting
import Foundation
import Testing

/// The `wstest` of the Autobahn testsuite, installed by `Scripts/install-test-peers.sh`.
var wstestExecutable: String {
    get throws {
        let path = repositoryRoot.appendingPathComponent(".venv-wstest/bin/wstest").path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw PeersMissing() }
        return path
    }
}

@Suite("WebSocket interop", .serialized)
struct WebSocketInteropTests {
    /// Python's websockets and aiohttp clients: echo, fragments, ping, close codes, 1009, 426,
    /// and the chat room.
    @Test(.timeLimit(.minutes(3)))
    func pythonClients() async throws {
        let server = try await ServeProcess.start()
        let result = try await server.run("ws_interop.py", [])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        server.process.send(SIGTERM)
        #expect(await server.process.waitForExit() == 0)
    }

    /// Autobahn groups 1–10 (framing, pings, reserved bits, opcodes, fragmentation, UTF-8,
    /// closing, limits) against `/ws`: every case OK or INFORMATIONAL, none FAILED or
    /// NON-STRICT.
    @Test(.timeLimit(.minutes(10)))
    func autobahnAgainstTheServer() async throws {
        let server = try await ServeProcess.start()
        let result = try await server.run("autobahn.py", ["--wstest", try wstestExecutable, "--cases", "1-10"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        print(result.output, terminator: "")
        server.process.send(SIGTERM)
        #expect(await server.process.waitForExit() == 0)
    }
}
