import AioClient
import AioMultipart
import AioTestSupport
import AioTesting
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import NIOSSL
import Testing

/// A peer program started for a test, stopped with SIGTERM.
struct StartedPeer {
    let process: RunningProcess
    let port: Int

    var url: String { "http://127.0.0.1:\(self.port)" }

    func stop() async {
        self.process.send(SIGTERM)
        _ = await self.process.waitForExit()
    }
}

/// The body of `response` decoded from JSON as a dictionary.
func jsonObject(_ response: ClientResponse) async throws -> [String: Any] {
    let buffer = try await response.read()
    return try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
}

/// The client against real servers: httpbin (PyPI) under gunicorn, an aiohttp server, nginx.
@Suite("Client against real servers", .serialized)
struct ClientInteropTests {
    // MARK: httpbin

    @Test(.timeLimit(.minutes(2)))
    func httpbinUnderGunicorn() async throws {
        let port = try freePort()
        let process = try RunningProcess(
            [try peerProgram("gunicorn"), "--bind", "127.0.0.1:\(port)", "--workers", "2", "--threads", "4", "httpbin:app"]
        )
        let httpbin = StartedPeer(process: process, port: port)
        try await waitUntilListening(port: port, seconds: 20)
        defer { httpbin.process.send(SIGKILL) }
        try await withClientSession(baseURL: httpbin.url, cookieJar: CookieJar(unsafe: true)) { (session: ClientSession) async throws -> Void in
            // Methods, query and form encoding.
            let get = try await jsonObject(session.get("/get?a=1", params: [("b", "two words"), ("c", "ü&=")]))
            #expect(get["args"] as? [String: String] == ["a": "1", "b": "two words", "c": "ü&="])
            for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
                let path = "/\(method.rawValue.lowercased())"
                let sent = try await jsonObject(session.request(method, path, body: .json(["k": [1, 2]])))
                #expect((sent["json"] as? [String: [Int]]) == ["k": [1, 2]], "\(method)")
            }
            var form = FormData()
            form.add("name", "value with spaces")
            form.add("emoji", "🙂")
            let urlencoded = try await jsonObject(session.post("/post", body: .form(form)))
            #expect(urlencoded["form"] as? [String: String] == ["name": "value with spaces", "emoji": "🙂"])
            form.add("upload", bytes: ByteBuffer(string: "file body"), filename: "a.txt", contentType: "text/plain")
            let multipart = try await jsonObject(session.post("/post", body: .form(form)))
            #expect(multipart["files"] as? [String: String] == ["upload": "file body"])
            #expect((multipart["form"] as? [String: String])?["emoji"] == "🙂")

            // Redirects: relative, absolute, 307 with a body, 303 to GET.
            for path in ["/redirect/3", "/relative-redirect/3", "/absolute-redirect/3"] {
                let response = try await session.get(path)
                #expect(response.status == .ok && response.history.count == 3 && response.url.hasSuffix("/get"), "\(path)")
                await response.release()
            }
            let kept = try await jsonObject(session.request(.post, "/redirect-to", params: [("url", "/post"), ("status_code", "307")], body: .text("keep me")))
            #expect(kept["data"] as? String == "keep me")
            let changed = try await session.request(.post, "/redirect-to", params: [("url", "/get"), ("status_code", "303")], body: .text("drop me"))
            #expect(changed.status == .ok && changed.method == .get)
            await changed.release()

            // Cookies set, sent, deleted.
            let set = try await jsonObject(session.get("/cookies/set", params: [("flavour", "oat"), ("size", "large")]))
            #expect(set["cookies"] as? [String: String] == ["flavour": "oat", "size": "large"])
            let deleted = try await jsonObject(session.get("/cookies/delete", params: [("flavour", "")]))
            #expect(deleted["cookies"] as? [String: String] == ["size": "large"])

            // Basic and Digest.
            let basic = try await session.request(.get, "/basic-auth/user/pass", middlewares: [BasicAuth(login: "user", password: "pass").middleware])
            #expect(basic.status == .ok)
            await basic.release()
            let wrong = try await session.request(.get, "/basic-auth/user/pass", middlewares: [BasicAuth(login: "user", password: "nope").middleware])
            #expect(wrong.status == .unauthorized)
            await wrong.release()
            for algorithm in ["MD5", "SHA-256", "SHA-512"] {
                let digest = try await session.request(
                    .get, "/digest-auth/auth/user/pass/\(algorithm)", middlewares: [DigestAuth(login: "user", password: "pass").middleware]
                )
                #expect(digest.status == .ok, "\(algorithm)")
                await digest.release()
            }

            // Codings, streams, drips, statuses.
            #expect(try await jsonObject(session.get("/gzip"))["gzipped"] as? Bool == true)
            #expect(try await jsonObject(session.get("/deflate"))["deflated"] as? Bool == true)
            let lines = try await session.get("/stream/20").text().split(separator: "\n")
            #expect(lines.count == 20)
            var streamed = 0
            // httpbin caps a stream at 100 KiB.
            for try await piece in try await session.get("/stream-bytes/102400", params: [("chunk_size", "1000"), ("seed", "7")]).content {
                streamed += piece.readableBytes
            }
            #expect(streamed == 102_400)
            #expect(try await session.get("/drip", params: [("duration", "0.5"), ("numbytes", "5"), ("delay", "0")]).read().readableBytes == 5)
            await #expect(throws: ClientResponseStatusError.self) { _ = try await session.request(.get, "/status/418", raiseForStatus: true) }
            let headers = try await jsonObject(session.get("/headers"))["headers"] as? [String: String]
            #expect(headers?["User-Agent"] == "swift-aiohttp")

            // Each timeout against a slow answer.
            await #expect(throws: SocketTimeoutError.self) { _ = try await session.get("/delay/3", timeout: ClientTimeout(sockRead: 0.5)) }
            await #expect(throws: TotalTimeoutError.self) { _ = try await session.get("/delay/3", timeout: ClientTimeout(total: 0.5)) }
        }
        await httpbin.stop()
    }

    // MARK: aiohttp

    @Test(.timeLimit(.minutes(2)))
    func anAiohttpServer() async throws {
        let process = try RunningProcess([try peerPython, repositoryRoot.appendingPathComponent("Tests/Interop/aiohttp_client_peer.py").path])
        var ports: [Int] = []
        while let line = await process.nextLine() {
            if line.hasPrefix("listening on ") {
                ports = line.dropFirst("listening on ".count).split(separator: " ").compactMap { Int($0) }
                break
            }
        }
        let (a, b) = (StartedPeer(process: process, port: ports[0]), StartedPeer(process: process, port: ports[1]))
        defer { process.send(SIGKILL) }
        try await withClientSession(baseURL: a.url, cookieJar: CookieJar(unsafe: true)) { (session: ClientSession) async throws -> Void in
            _ = try await session.get("/cookies/set", params: [("one", "1"), ("two", "2")]).read()
            #expect(try await jsonObject(session.get("/cookies")) as? [String: String] == ["one": "1", "two": "2"])

            // Credentials and cookies stay with their origin when a redirect leaves it (the two
            // ports are two origins; the jar's cookies are host-wide, as RFC 6265 says).
            let crossed = try await jsonObject(
                session.get("/cross", params: [("to", "\(b.url)/headers")], headers: [.authorization: "Bearer secret", .cookie: "mine=1"])
            )
            #expect(crossed["Authorization"] == nil && (crossed["Cookie"] as? String)?.contains("mine") != true, "\(crossed)")
            let same = try await jsonObject(session.get("/cross", params: [("to", "/headers")], headers: [.authorization: "Bearer secret"]))
            #expect(same["Authorization"] as? String == "Bearer secret")

            // A multipart upload with a file, and a chunked stream.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("aio-upload-\(UUID().uuidString)")
            let fileBytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try Data(fileBytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            var form = FormData()
            form.add("field", "value")
            form.add("file", file: file.path, filename: "data.bin", contentType: "application/octet-stream")
            let uploaded = try await session.post("/upload", body: .form(form)).read()
            let parts = try #require(try JSONSerialization.jsonObject(with: Data(uploaded.readableBytesView)) as? [[String: Any]])
            #expect(parts.count == 2)
            #expect(parts.last?["size"] as? Int == 300_000)
            #expect(parts.last?["sha256"] as? String == Self.sha256(fileBytes))
            #expect(parts.last?["filename"] as? String == "data.bin")
            let pieces = (0..<50).map { ByteBuffer(repeating: UInt8($0), count: 1000) }
            let stream = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                for piece in pieces { continuation.yield(piece) }
                continuation.finish()
            }
            let chunked = try await jsonObject(session.post("/chunked", body: .stream(stream)))
            #expect(chunked["transfer_encoding"] as? String == "chunked" && chunked["length"] as? Int == 50_000)

            // 100-continue, granted and refused.
            let granted = try await jsonObject(session.request(.post, "/expect", body: .text("after 100"), expect100: true))
            #expect(granted["length"] as? Int == 9)
            let refused = try await session.request(.post, "/expect", headers: [HTTPField.Name("X-Refuse")!: "yes"], body: .text("never sent"), expect100: true)
            #expect(refused.status == .expectationFailed)
            await refused.release()

            // A WebSocket over the session.
            let echoed = try await session.wsConnect("/ws") { ws in
                try await ws.send(text: "through aiohttp")
                return try await ws.receive().text
            }
            #expect(echoed == "through aiohttp")
        }
        await a.stop()
    }

    // MARK: nginx

    /// The lines of nginx's access log once it has `count` of them, or what it has after 5 s:
    /// nginx writes a request's line after the response has gone out, so the client can have
    /// read the whole body before the line is there.
    static func lines(of log: URL, atLeast count: Int) async throws -> [Substring] {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let lines = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n") ?? []
            if lines.count >= count || ContinuousClock.now >= deadline { return lines }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// nginx (Debian) with one worker, over HTTP and HTTPS with the test's CA, serving files the
    /// test writes; its access log names each request's connection.
    @Test(.timeLimit(.minutes(2)))
    func nginxOverHTTPAndHTTPS() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aio-nginx-\(UUID().uuidString)")
        let www = directory.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // 16 MiB of a pattern, and text that compresses.
        let block = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        var big = Data()
        for index in 0..<16 { big.append(contentsOf: block.map { $0 &+ UInt8(index) }) }
        try big.write(to: www.appendingPathComponent("big.bin"))
        let text = String(repeating: "nginx compresses this line.\n", count: 4000)
        try text.write(to: www.appendingPathComponent("text.txt"), atomically: true, encoding: .utf8)
        let (plainPort, securePort) = (try freePort(), try freePort())
        let log = directory.appendingPathComponent("access.log")
        let config = nginxConfiguration(
            directory: directory,
            http: """
                log_format connections '$connection $request_uri';
                access_log \(log.path) connections;
                types { text/plain txt; application/octet-stream bin; }
                gzip on;
                gzip_types text/plain;
                gzip_min_length 0;
                server { listen 127.0.0.1:\(plainPort); root \(www.path); }
                server {
                    listen 127.0.0.1:\(securePort) ssl;
                    ssl_certificate \(certificates.certificate);
                    ssl_certificate_key \(certificates.privateKey);
                    root \(www.path);
                }
                """
        )
        let configFile = directory.appendingPathComponent("nginx.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let nginx = try RunningProcess(["nginx", "-p", directory.path, "-c", configFile.path, "-g", "daemon off;"])
        defer { nginx.send(SIGKILL) }
        try await waitUntilListening(port: plainPort)
        try await waitUntilListening(port: securePort)

        try await withClientSession(baseURL: "http://127.0.0.1:\(plainPort)") { (session: ClientSession) async throws -> Void in
            // Keep-alive: ten requests, one connection in nginx's log.
            for _ in 0..<10 { _ = try await session.get("/text.txt").read() }
            let lines = try await Self.lines(of: log, atLeast: 10)
            #expect(lines.count == 10)
            #expect(Set(lines.map { $0.split(separator: " ")[0] }).count == 1, "\(lines)")
            // gzip decoded.
            let compressed = try await session.get("/text.txt")
            #expect(compressed.headers[.contentEncoding] == "gzip")
            #expect(try await compressed.text() == text)
            // A large download, streamed and whole.
            var digest = SHA256()
            var received = 0
            for try await piece in try await session.get("/big.bin").content {
                received += piece.readableBytes
                piece.withUnsafeReadableBytes { digest.update(bufferPointer: $0) }
            }
            #expect(received == big.count)
            #expect(Array(digest.finalize()) == Array(SHA256.hash(data: big)))
            // A range.
            let range = try await session.get("/big.bin", headers: [.range: "bytes=1048570-1048589"])
            #expect(range.status == .partialContent)
            #expect(Array(try await range.read().readableBytesView) == Array(big[1_048_570...1_048_589]))
        }

        let https = "https://localhost:\(securePort)/text.txt"
        try await withClientSession { (session: ClientSession) async throws -> Void in
            await #expect(throws: ClientConnectorCertificateError.self) { _ = try await session.get(https) }
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(certificates.authority)
        try await withClientSession(connector: ClientConnector(tls: tls)) { (session: ClientSession) async throws -> Void in
            #expect(try await session.get(https).text() == text)
        }
        let der = try NIOSSLCertificate.fromPEMFile(certificates.certificate)[0].toDERBytes()
        let right = Array(SHA256.hash(data: der))
        try await withClientSession(connector: ClientConnector(pinnedFingerprint: right)) { (session: ClientSession) async throws -> Void in
            #expect(try await session.get(https).status == .ok)
        }
        var wrong = right
        wrong[31] ^= 1
        try await withClientSession(connector: ClientConnector(pinnedFingerprint: wrong)) { (session: ClientSession) async throws -> Void in
            await #expect(throws: FingerprintMismatch.self) { _ = try await session.get(https) }
        }
        nginx.send(SIGTERM)
        _ = await nginx.waitForExit()
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
