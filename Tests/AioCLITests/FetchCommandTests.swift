import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// `aio get/post/…` as scripts use it: the exact body on a pipe, exit statuses by outcome.
@Suite("aio get and friends")
struct FetchCommandTests {
    func app() -> Application {
        let app = Application()
        app.router.route(nil, "/echo") { request in
            var lines = ["\(request.method.rawValue) \(request.pathAndQuery)"]
            for field in request.headers where ["content-type", "authorization", "x-test"].contains(field.name.canonicalName) {
                lines.append("\(field.name.canonicalName): \(field.value)")
            }
            lines.append(try await request.text())
            return .text(lines.joined(separator: "\n"))
        }
        app.router.get("/status/{code}") { request in Response(status: HTTPResponse.Status(code: Int(request.matchInfo["code"]!)!)) }
        app.router.get("/loop") { _ in Response(status: .found, headers: [.location: "/loop"]) }
        app.router.get("/short") { _ in
            .stream(length: 100) { writer in try await writer.write(ByteBuffer(string: "not all of it")) }
        }
        return app
    }

    func aio(_ arguments: [String]) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run([try aioExecutable] + arguments)
    }

    /// A 1 GiB download to a file: the body goes to disk as it comes, so the client's peak
    /// resident memory (VmHWM, read from /proc while it runs) stays under 64 MiB.
    @Test(.timeLimit(.minutes(3)))
    func aGigabyteDownloadStaysSmallInMemory() async throws {
        let size = 1 << 30
        let app = Application()
        app.router.get("/gigabyte") { _ in
            .stream(length: size) { writer in
                let piece = ByteBuffer(repeating: 0x61, count: 1 << 16)
                for _ in 0..<(size >> 16) { try await writer.write(piece) }
            }
        }
        _ = try app.freeze()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aio-gigabyte-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try await withTestServer(responder: try ApplicationResponder(app)) { server in
            let process = try RunningProcess([try aioExecutable, "get", "http://127.0.0.1:\(server.port)/gigabyte", "-o", file.path])
            let (status, peakKiB) = try await withThrowingTaskGroup(of: (Int32?, Int?).self) { group in
                group.addTask { (await process.waitForExit(), nil) }
                group.addTask {
                    // The peak so far, every 50 ms, until the process is gone.
                    var peak = 0
                    while let text = try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8),
                        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
                    {
                        peak = max(peak, Int(line.split(separator: " ")[1]) ?? 0)
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    return (nil, peak)
                }
                var status: Int32 = -1
                var peak = 0
                for try await result in group {
                    if let exit = result.0 { status = exit }
                    if let sampled = result.1 { peak = sampled }
                }
                return (status, peak)
            }
            #expect(status == 0)
            let written = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
            #expect(written == size)
            #expect(peakKiB > 0 && peakKiB < 64 * 1024, "peak RSS \(peakKiB) KiB")
        }
    }

    @Test func bodyAloneOnAPipeAndExitStatuses() async throws {
        let app = self.app()
        _ = try app.freeze()
        try await withTestServer(responder: try ApplicationResponder(app)) { server in
            let base = "http://127.0.0.1:\(server.port)"
            let get = try await self.aio(["get", "\(base)/echo", "q==1 2", "X-Test:yes"])
            #expect(get.status == 0)
            #expect(get.output == "GET /echo?q=1+2\nx-test: yes\n")

            let json = try await self.aio(["post", "\(base)/echo", "name=Zoë", "n:=42", "--auth", "user:pass"])
            #expect(json.output == "POST /echo\nauthorization: Basic dXNlcjpwYXNz\ncontent-type: application/json\n{\"name\":\"Zoë\",\"n\":42}")

            let form = try await self.aio(["put", "\(base)/echo", "--form", "a=b c"])
            #expect(form.output == "PUT /echo\ncontent-type: application/x-www-form-urlencoded\na=b+c")

            let data = try await self.aio(["post", "\(base)/echo", "--data", "raw text", "--header", "Content-Type: text/x-raw"])
            #expect(data.output == "POST /echo\ncontent-type: text/x-raw\nraw text")

            let included = try await self.aio(["get", "-i", "\(base)/status/204"])
            #expect(included.output.hasPrefix("HTTP/1.1 204 No Content\r\n"))

            #expect(try await self.aio(["get", "\(base)/status/404"]).status == 0, "a final response is success")
            #expect(try await self.aio(["get", "--check-status", "\(base)/status/404"]).status == 4)
            #expect(try await self.aio(["get", "--check-status", "\(base)/status/503"]).status == 5)
            #expect(try await self.aio(["get", "--check-status", "--no-follow", "\(base)/loop"]).status == 3)

            let loop = try await self.aio(["get", "--max-redirects", "2", "\(base)/loop"])
            #expect(loop.status == 6)
            #expect(loop.error.contains("TooManyRedirects"))

            let short = try await self.aio(["get", "\(base)/short"])
            #expect(short.status == 1, "a body cut short is never success")
            #expect(short.error.contains("ClientPayloadError"))

            let resolved = try await self.aio(["get", "http://Example.TEST.:\(server.port)/echo", "--resolve", "example.test:\(server.port):127.0.0.1"])
            #expect(resolved.status == 0 && resolved.output.hasPrefix("GET /echo"))

            let refused = try await self.aio(["get", "http://127.0.0.1:1/"])
            #expect(refused.status == 1 && refused.error.contains("ClientConnectorSocketError"))
        }
    }

    /// Digest auth against `aio serve`'s httpbin, which sets a cookie on its challenge and, with
    /// `require-cookie`, refuses an answer without it; `--session` keeps cookies between runs.
    @Test(.timeLimit(.minutes(2)))
    func digestAuthAndSessions() async throws {
        let server = try await ServeProcess.start()
        for algorithm in ["MD5", "SHA-256", "SHA-512"] {
            let result = try await self.aio([
                "get", "--auth", "user:passwd", "--auth-type", "digest",
                "\(server.url)/digest-auth/auth/user/passwd/\(algorithm)?require-cookie=1",
            ])
            #expect(result.status == 0 && result.output.contains("\"authenticated\": true"), "\(algorithm): \(result.output)\(result.error)")
        }
        let wrong = try await self.aio(["get", "--check-status", "--auth", "user:nope", "--auth-type", "digest", "\(server.url)/digest-auth/auth/user/passwd"])
        #expect(wrong.status == 4)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aio-session-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try await self.aio(["get", "--session", file, "\(server.url)/cookies/set?kept=yes"])
        let shown = try await self.aio(["get", "--session", file, "\(server.url)/cookies"])
        #expect(shown.output.contains("\"kept\": \"yes\""), "\(shown.output)")
        server.process.send(SIGTERM)
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
    }
}
