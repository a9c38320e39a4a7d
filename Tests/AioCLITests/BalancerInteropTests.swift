import AioTestSupport
import AioTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A sample configuration of `deploy/` with its example addresses replaced, each of which must
/// be in the file: the samples and the tests cannot drift apart.
func deployConfiguration(_ path: String, replacing replacements: [(String, String)]) throws -> String {
    var text = try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    for (example, actual) in replacements {
        guard text.contains(example) else { throw SampleChanged(path: path, example: example) }
        text = text.replacingOccurrences(of: example, with: actual)
    }
    return text
}

/// A sample of `deploy/` no longer has what its test replaces.
struct SampleChanged: Error, CustomStringConvertible {
    let path: String
    let example: String
    var description: String { "\(self.path) no longer contains \"\(self.example)\"" }
}

/// HAProxy with `deploy/haproxy/haproxy.cfg` in front of 127.0.0.1:`serverPort`, listening on
/// a free port of 127.0.0.1 once this returns.
func startHAProxy(in directory: URL, serverPort: Int) async throws -> (RunningProcess, port: Int) {
    let port = try freePort()
    let config = directory.appendingPathComponent("haproxy.cfg")
    try deployConfiguration(
        "deploy/haproxy/haproxy.cfg",
        replacing: [("bind :80", "bind 127.0.0.1:\(port)"), ("127.0.0.1:8080", "127.0.0.1:\(serverPort)")]
    ).write(to: config, atomically: true, encoding: .utf8)
    let haproxy = try RunningProcess(["haproxy", "-db", "-f", config.path])
    do {
        try await waitUntilListening(port: port)
    } catch {
        haproxy.send(SIGKILL)
        throw error
    }
    return (haproxy, port)
}

extension ServeProcess {
    /// The port `aio serve` listens on.
    var port: Int { Int(self.url.split(separator: ":").last ?? "") ?? 0 }
}

/// `aio serve` behind the balancers of `deploy/`: HAProxy with PROXY v2, nginx's stream module
/// with PROXY v1, nginx's HTTP proxy with X-Forwarded-*. Clients connect from 127.0.0.2 and
/// 127.0.0.3, the balancers from 127.0.0.1, so `/ip` tells who the server believes.
@Suite("Behind HAProxy and nginx", .serialized)
struct BalancerInteropTests {
    /// What `/ip` (or `path`) answers to curl connecting from `source`; nil when the server
    /// closed the connection without an answer.
    func fetch(_ base: String, _ path: String = "/ip", from source: String, _ extra: [String] = []) async throws -> [String: Any]? {
        let result = try await ExternalProcess.run(["curl", "-sS", "--max-time", "10", "--interface", source] + extra + [base + path])
        guard result.status == 0 else { return nil }
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    }

    func origin(_ base: String, from source: String, _ extra: [String] = []) async throws -> String? {
        try await self.fetch(base, from: source, extra)?["origin"] as? String
    }

    /// Waits until `aio serve`'s access log shows `text`.
    func awaitLogLine(_ server: ServeProcess, containing text: String) async -> String? {
        while let line = await server.process.nextLine() {
            if line.contains(text) { return line }
        }
        return nil
    }

    func stop(_ server: ServeProcess) async {
        server.process.send(SIGTERM)
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
    }

    @Test(.timeLimit(.minutes(2)))
    func haproxySendsProxyV2() async throws {
        let server = try await ServeProcess.start(["--proxy-protocol", "--trusted-proxy", "127.0.0.1", "--access-log"])
        let directory = try scratchDirectory("haproxy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (haproxy, port) = try await startHAProxy(in: directory, serverPort: server.port)
        defer { haproxy.send(SIGKILL) }
        let balanced = "http://127.0.0.1:\(port)"

        // HAProxy's health checks come with LOCAL headers: the socket's own peer.
        let check = await self.awaitLogLine(server, containing: "GET /health")
        #expect(check?.contains("] 127.0.0.1 [") == true, "\(check ?? "no health check")")
        #expect(try await self.origin(balanced, from: "127.0.0.2") == "127.0.0.2")
        #expect(try await self.origin(balanced, from: "127.0.0.3") == "127.0.0.3")
        // The access log names the client too.
        let logged = await self.awaitLogLine(server, containing: "GET /ip")
        #expect(logged?.contains("] 127.0.0.2 [") == true, "\(logged ?? "no line")")

        // Straight to the server: a PROXY header from an untrusted peer, or none from the
        // trusted one, and the connection is closed before any HTTP is read.
        let direct = "http://127.0.0.1:\(server.port)"
        #expect(try await self.origin(direct, from: "127.0.0.3", ["--haproxy-protocol"]) == nil)
        #expect(try await self.origin(direct, from: "127.0.0.1") == nil)
        #expect(try await self.origin(direct, from: "127.0.0.1", ["--haproxy-protocol"]) == "127.0.0.1")

        haproxy.send(SIGTERM)
        _ = await haproxy.waitForExit()
        await self.stop(server)
    }

    @Test(.timeLimit(.minutes(2)))
    func nginxStreamAndHTTP() async throws {
        let relayed = try await ServeProcess.start(["--proxy-protocol", "--trusted-proxy", "127.0.0.1"])
        let forwarded = try await ServeProcess.start(["--forwarded", "--forwarded-fields", "x-forwarded", "--trusted-proxy", "127.0.0.1"])
        let directory = try scratchDirectory("nginx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (streamPort, httpPort) = (try freePort(), try freePort())
        let stream = try deployConfiguration(
            "deploy/nginx/aio-stream.conf",
            replacing: [("listen 80;", "listen 127.0.0.1:\(streamPort);"), ("127.0.0.1:8080", "127.0.0.1:\(relayed.port)")]
        )
        let http = try deployConfiguration(
            "deploy/nginx/aio-http.conf",
            replacing: [("listen 80;", "listen 127.0.0.1:\(httpPort);"), ("127.0.0.1:8080", "127.0.0.1:\(forwarded.port)")]
        )
        try stream.write(to: directory.appendingPathComponent("aio-stream.conf"), atomically: true, encoding: .utf8)
        try http.write(to: directory.appendingPathComponent("aio-http.conf"), atomically: true, encoding: .utf8)
        let config = nginxConfiguration(
            directory: directory,
            main: """
                load_module /usr/lib/nginx/modules/ngx_stream_module.so;
                stream { include \(directory.path)/aio-stream.conf; }
                """,
            http: """
                access_log off;
                include \(directory.path)/aio-http.conf;
                """
        )
        let configFile = directory.appendingPathComponent("nginx.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let nginx = try RunningProcess(["nginx", "-p", directory.path, "-c", configFile.path, "-g", "daemon off;"])
        defer { nginx.send(SIGKILL) }
        try await waitUntilListening(port: streamPort)
        try await waitUntilListening(port: httpPort)

        // The stream module's PROXY v1 line.
        #expect(try await self.origin("http://127.0.0.1:\(streamPort)", from: "127.0.0.2") == "127.0.0.2")
        #expect(try await self.origin("http://127.0.0.1:\(streamPort)", from: "127.0.0.3") == "127.0.0.3")

        // X-Forwarded-*: what the client adds itself is left of nginx's hop, and ignored.
        let viaNginx = "http://127.0.0.1:\(httpPort)"
        let forged = ["-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Host: evil.example", "-H", "X-Forwarded-Proto: https"]
        #expect(try await self.origin(viaNginx, from: "127.0.0.2", forged) == "127.0.0.2")
        let get = try await self.fetch(viaNginx, "/get", from: "127.0.0.3", forged)
        #expect(get?["origin"] as? String == "127.0.0.3")
        #expect(get?["url"] as? String == "http://127.0.0.1:\(httpPort)/get")
        // Straight to the server, the same forgery changes nothing.
        let direct = "http://127.0.0.1:\(forwarded.port)"
        let forgedDirect = try await self.fetch(direct, "/get", from: "127.0.0.3", forged)
        #expect(forgedDirect?["origin"] as? String == "127.0.0.3")
        #expect(forgedDirect?["url"] as? String == "http://127.0.0.1:\(forwarded.port)/get")

        nginx.send(SIGTERM)
        _ = await nginx.waitForExit()
        await self.stop(relayed)
        await self.stop(forwarded)
    }
}
