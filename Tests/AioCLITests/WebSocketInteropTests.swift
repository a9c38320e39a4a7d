import AioTestSupport
import AioClient
import AioTesting
import AioWebSocket
import Foundation
import NIOCore
import NIOSSL
import Testing

#if canImport(Glibc)
import Glibc
#endif

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
        try await ServeProcess.check("ws_interop.py")
    }

    /// Headless Chromium (Debian's) on the demo pages at desktop and phone widths, screenshots
    /// written to `.build/screenshots/`; each page's controls: the index's links, an upload
    /// showing the server's SHA-256, two chat pages of one room, the pizza form.
    @Test(.timeLimit(.minutes(2)))
    func demoPagesInChromium() async throws {
        let screenshots = repositoryRoot.appendingPathComponent(".build/screenshots").path
        let output = try await ServeProcess.check("demo_pages_chromium.py") { _ in ["--screenshots", screenshots] }
        print(output, terminator: "")
    }

    /// 1,000 idle connections on `/ws` (heartbeat on): the growth of the server's memory per
    /// connection stays small.
    @Test(.timeLimit(.minutes(3)))
    func idleConnectionsMemory() async throws {
        let output = try await ServeProcess.check("ws_idle.py") { ["--pid", "\($0.process.pid)", "--connections", "1000"] }
        print(output, terminator: "")
    }

    /// `wss://`: our client through TLS to `aio serve --tls-cert`, trusting the test CA; a
    /// client that does not trust it is refused.
    @Test(.timeLimit(.minutes(2)))
    func secureWebSocket() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let server = try await ServeProcess.start(["--tls-cert", certificates.certificate, "--tls-key", certificates.privateKey])
        let port = try #require(URLComponents(string: server.url)?.port)
        let url = "wss://localhost:\(port)/ws"
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(certificates.authority)
        let echo = try await WebSocketClient.connect(url, tls: tls) { ws in
            try await ws.send(text: "over TLS")
            return try await ws.receive().text
        }
        #expect(echo == "over TLS")
        await #expect(throws: (any Error).self) { try await WebSocketClient.connect(url) { _ in } }
        server.process.send(SIGTERM)
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
    }

    /// `aio ws` sends each line of its input and prints the echoes, text and binary, then
    /// closes cleanly at the end of input.
    @Test(.timeLimit(.minutes(2)))
    func aioWsCommand() async throws {
        let server = try await ServeProcess.start()
        let ws = server.url.replacingOccurrences(of: "http://", with: "ws://") + "/ws"
        let aio = try aioExecutable
        let text = try await ExternalProcess.run(["sh", "-c", "printf 'hello\\nκόσμε\\n' | \"$0\" ws \"$1\"", aio, ws])
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output == "hello\nκόσμε\n")
        let binary = try await ExternalProcess.run(["sh", "-c", "printf 'bin\\n' | \"$0\" ws --binary --no-compress \"$1\"", aio, ws])
        #expect(binary.output == "<binary 3 bytes: 62696e>\n", "\(binary.error)")
        let refused = try await ExternalProcess.run(["sh", "-c", "\"$0\" ws \"$1\" < /dev/null", aio, server.url + "/status/403"])
        #expect(refused.status != 0 && refused.error.contains("403"), "\(refused.output)\(refused.error)")
        server.process.send(SIGTERM)
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
    }

    /// Autobahn groups 1–10 (framing, pings, reserved bits, opcodes, fragmentation, UTF-8,
    /// closing, limits) against `/ws`: every case OK or INFORMATIONAL, none FAILED or
    /// NON-STRICT.
    @Test(.timeLimit(.minutes(20)))
    func autobahnAgainstTheServer() async throws {
        let wstest = try wstestExecutable
        let output = try await ServeProcess.check("autobahn.py") { _ in ["--wstest", wstest, "--cases", autobahnGroups.description] }
        print(output, terminator: "")
    }
}

/// The Autobahn testsuite against `WebSocketClient`: wstest's fuzzingserver on a free local port,
/// driven as its README says (`/getCaseCount`, `/runCase` echoing every message, then
/// `/updateReports`).
@Suite("WebSocket client interop", .serialized)
struct WebSocketClientInteropTests {
    static let agent = "swift-aiohttp"

    @Test(.timeLimit(.minutes(20)))
    func autobahnAgainstTheClient() async throws {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("autobahn-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: report, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: report) }
        let port = try freePort()
        let url = "ws://127.0.0.1:\(port)"
        let spec: [String: Any] = [
            "url": url, "outdir": report.path, "cases": autobahnGroups.cases,
            "exclude-cases": [String](), "exclude-agent-cases": [String: String](),
        ]
        let specPath = report.appendingPathComponent("fuzzingserver.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: specPath)
        let server = try RunningProcess(
            [try wstestExecutable, "-m", "fuzzingserver", "-s", specPath.path, "--webport=0"],
            environment: ["PYTHONUNBUFFERED": "1"]
        )
        // wstest never exits by itself.
        defer { server.send(SIGTERM) }
        while let line = await server.nextLine(), !line.hasPrefix("Ok, will run") {}
        // It says so before its socket listens.
        try await waitUntilListening(port: port)

        let configuration = WebSocketConfiguration(maxMessageSize: 20 << 20, closeTimeout: .seconds(2))
        let count = try await WebSocketClient.connect("\(url)/getCaseCount") { ws in
            try await ws.receive().text.flatMap { Int($0) } ?? 0
        }
        #expect(count > 0)
        for number in 1...max(count, 1) {
            // Some cases end in a failed connection on purpose: the report judges them.
            try? await WebSocketClient.connect("\(url)/runCase?case=\(number)&agent=\(Self.agent)", configuration: configuration) { ws in
                for try await message in ws {
                    switch message.type {
                    case .text: try await ws.send(WSFrame(opcode: .text, payload: message.data))
                    case .binary: try await ws.send(binary: message.data)
                    default: continue
                    }
                }
            }
        }
        try await WebSocketClient.connect("\(url)/updateReports?agent=\(Self.agent)") { ws in
            _ = try await ws.receive()
        }
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("index.json"))) as? [String: [String: [String: Any]]]
        let results = index?[Self.agent] ?? [:]
        #expect(results.count == count)
        var counts: [String: Int] = [:]
        var bad: [String] = []
        for (name, result) in results {
            let behavior = result["behavior"] as? String ?? "?"
            counts[behavior, default: 0] += 1
            if behavior != "OK" && behavior != "INFORMATIONAL" {
                bad.append("\(name): \(behavior) \(Self.explanation(result, in: report))")
            }
        }
        print("autobahn client \(autobahnGroups.description): \(results.count) cases \(counts.sorted { $0.key < $1.key })")
        #expect(bad.isEmpty, "\(bad.sorted())")
    }
}

extension WebSocketClientInteropTests {
    /// Why the testsuite judged a case as it did, from the case's own report file, for a
    /// failure's message.
    static func explanation(_ result: [String: Any], in report: URL) -> String {
        guard let file = result["reportfile"] as? String,
            let data = try? Data(contentsOf: report.appendingPathComponent(file)),
            let details = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return "(no report file)" }
        // The duration shows a case the testsuite cut off at its own deadline (about 1 s for most).
        return "(\(details["result"] ?? "?"); close: \(details["resultClose"] ?? "?"); \(details["duration"] ?? "?") ms)"
    }
}

@Suite("WebSocket client against aiohttp", .serialized)
struct WebSocketClientAiohttpTests {
    /// Our client and an aiohttp WebSocket server: text (non-ASCII), binary, 1 MiB, permessage-deflate
    /// negotiated, the server's ping answered, and the server's close code seen.
    @Test(.timeLimit(.minutes(2)))
    func againstAnAiohttpServer() async throws {
        let server = try RunningProcess([try peerPython, repositoryRoot.appendingPathComponent("Tests/Interop/aiohttp_ws_server.py").path])
        defer { server.send(SIGTERM) }
        var port = 0
        while let line = await server.nextLine() {
            if line.hasPrefix("listening on "), let number = Int(line.dropFirst("listening on ".count)) {
                port = number
                break
            }
        }
        #expect(port > 0)
        let url = "ws://127.0.0.1:\(port)/ws"
        let closeCode = try await WebSocketClient.connect(url) { ws in
            #expect(ws.deflate != nil)
            for text in ["hello", "κόσμε 🎉", String(repeating: "long text ", count: 100_000)] {
                try await ws.send(text: text)
                let echo = try await ws.receive()
                #expect(echo.type == .text && echo.text == text, "echo of \(text.prefix(10))")
            }
            let bytes = ByteBuffer(bytes: (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            try await ws.send(binary: bytes)
            let echo = try await ws.receive()
            #expect(echo.type == .binary && echo.data == bytes)
            try await ws.send(text: "deflate?")
            #expect(try await ws.receive().text == "deflate")
            try await ws.send(text: "ping-me")
            #expect(try await ws.receive().text == "pong seen: from aiohttp")
            try await ws.send(text: "close 4003")
            let close = try await ws.receive()
            #expect(close.type == .close && close.extra == "as asked")
            return close.closeCode
        }
        #expect(closeCode == WSCloseCode(rawValue: 4003))
        // Without compression offered, none is used.
        try await WebSocketClient.connect(url, compress: false) { ws in
            #expect(ws.deflate == nil)
            try await ws.send(text: "deflate?")
            #expect(try await ws.receive().text == "plain")
        }
    }
}

/// The Autobahn groups CI runs, 1–10; `AIO_AUTOBAHN_GROUPS=12-13` (say) runs others by hand,
/// such as the permessage-deflate groups, which take minutes each.
let autobahnGroups: (low: Int, high: Int, description: String, cases: [String]) = {
    let text = ProcessInfo.processInfo.environment["AIO_AUTOBAHN_GROUPS"] ?? "1-10"
    let bounds = text.split(separator: "-").compactMap { Int($0) }
    let (low, high) = bounds.count == 2 ? (bounds[0], bounds[1]) : (1, 10)
    return (low, high, "\(low)-\(high)", (low...high).map { "\($0).*" })
}()

