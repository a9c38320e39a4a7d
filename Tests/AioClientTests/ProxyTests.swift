import AioServer
import AioTestSupport
import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import AioClient

/// tinyproxy (Debian), started on 127.0.0.1 with a config of its own, optionally with Basic
/// credentials.
struct Tinyproxy {
    let process: RunningProcess
    let port: Int
    let directory: URL

    static func start(credentials: (String, String)? = nil) async throws -> Tinyproxy {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aio-tinyproxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freePort()
        var config = """
            Port \(port)
            Listen 127.0.0.1
            Timeout 30
            MaxClients 50
            Allow 127.0.0.1
            LogLevel Info
            DisableViaHeader No

            """
        if let (user, password) = credentials { config += "BasicAuth \(user) \(password)\n" }
        let file = directory.appendingPathComponent("tinyproxy.conf")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let process = try RunningProcess(["tinyproxy", "-d", "-c", file.path])
        // Ready once it accepts a connection (it prints nothing dependable before).
        try await waitUntilListening(port: port)
        return Tinyproxy(process: process, port: port, directory: directory)
    }

    var url: String { "http://127.0.0.1:\(self.port)" }

    func stop() async {
        self.process.send(SIGTERM)
        _ = await self.process.waitForExit()
        try? FileManager.default.removeItem(at: self.directory)
    }
}

@Suite("Client through proxies", .serialized)
struct ProxyTests {
    @Test(.timeLimit(.minutes(2)))
    func plainAndTunnelledRequestsThroughTinyproxy() async throws {
        let proxy = try await Tinyproxy.start()
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        var configuration = ServerConfiguration()
        configuration.tls = try .files(certificateChain: certificates.certificate, privateKey: certificates.privateKey)
        let plainApp = echoApp()
        _ = try plainApp.freeze()
        let tlsApp = echoApp()
        _ = try tlsApp.freeze()
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(certificates.authority)
        try await withTestServer(responder: try ApplicationResponder(plainApp)) { plain in
            try await withTestServer(responder: try ApplicationResponder(tlsApp), configuration: configuration) { secure in
                try await withClientSession(connector: ClientConnector(tls: tls), proxy: proxy.url) { (session: ClientSession) async throws -> Void in
                    // Absolute form for http://: the proxy adds its Via.
                    let plainResponse = try await session.get("http://127.0.0.1:\(plain.port)/echo?x=1")
                    #expect(try await plainResponse.json(as: Echo.self).query == "x=1")
                    #expect(plainResponse.headers[.via]?.contains("tinyproxy") == true)
                    // A CONNECT tunnel for https://, TLS end to end with the server.
                    let secureResponse = try await session.get("https://localhost:\(secure.port)/echo")
                    #expect(try await secureResponse.json(as: Echo.self).method == "GET")
                    #expect(secureResponse.headers[.via] == nil, "the proxy cannot see inside the tunnel")
                    // Both reused on their keep-alive connections.
                    let again = try await session.get("https://localhost:\(secure.port)/echo").json(as: Echo.self)
                    #expect(again.method == "GET")
                }
            }
        }
        await proxy.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func proxyCredentialsAndRefusals() async throws {
        let proxy = try await Tinyproxy.start(credentials: ("user", "secret"))
        let app = echoApp()
        _ = try app.freeze()
        try await withTestServer(responder: try ApplicationResponder(app)) { server in
            let target = "http://127.0.0.1:\(server.port)/echo"
            try await withClientSession(proxy: proxy.url) { (session: ClientSession) async throws -> Void in
                // Without credentials an http:// request gets the proxy's 407 as its response…
                #expect(try await session.get(target).status.code == 407)
                // …and a tunnel is refused with the proxy's status and fields.
                let refused = await #expect(throws: HttpProxyError.self) { _ = try await session.get("https://localhost:\(server.port)/") }
                #expect(refused?.status.code == 407)
                #expect(refused?.headers[.proxyAuthenticate]?.contains("Basic") == true)
            }
            let withAuth = try BasicAuth(login: "user", password: "secret")
            try await withClientSession(proxy: proxy.url, proxyAuth: withAuth) { (session: ClientSession) async throws -> Void in
                #expect(try await session.get(target).status == .ok)
            }
            try await withClientSession(proxy: "http://user:secret@127.0.0.1:\(proxy.port)") { (session: ClientSession) async throws -> Void in
                #expect(try await session.get(target).status == .ok, "credentials from the proxy URL's userinfo")
            }
        }
        await proxy.stop()
        let port = try freePort()
        try await withClientSession(proxy: "http://127.0.0.1:\(port)") { (session: ClientSession) async throws -> Void in
            let error = await #expect(throws: ClientProxyConnectionError.self) { _ = try await session.get("http://example.test/") }
            #expect(error?.port == port)
        }
    }

    @Test func environmentAndNoProxyRules() throws {
        let cases: [(String, String, Bool)] = [
            ("http://a.example.com/", "example.com", true), ("http://example.com/", ".example.com", true),
            ("http://notexample.com/", "example.com", false), ("http://h.test:8080/", "h.test:8080", true),
            ("http://h.test:8081/", "h.test:8080", false), ("http://anything/", "*", true), ("http://[::1]/", "[::1]", true), ("http://[::1]/", "::1", true),
        ]
        for (url, rule, exempt) in cases {
            #expect(ClientProxy.isExempt(try ClientURL(url), noProxy: rule) == exempt, "\(url) with \(rule)")
        }
        let secure = try ClientURL("https://h.test/")
        let plain = try ClientURL("http://h.test/")
        #expect(ClientProxy.fromEnvironment(for: secure, environment: ["HTTPS_PROXY": "proxy.test:3128"])?.url.string == "http://proxy.test:3128/")
        #expect(ClientProxy.fromEnvironment(for: plain, environment: ["http_proxy": "http://p:1", "no_proxy": "h.test"]) == nil)
        #expect(ClientProxy.fromEnvironment(for: plain, environment: ["HTTPS_PROXY": "http://p:1"]) == nil)
        // httpoxy: under CGI, HTTP_PROXY is a request's `Proxy:` field.
        #expect(ClientProxy.fromEnvironment(for: plain, environment: ["HTTP_PROXY": "http://evil:1", "REQUEST_METHOD": "GET"]) == nil)
        #expect(ClientProxy.fromEnvironment(for: plain, environment: ["http_proxy": "http://ok:1", "REQUEST_METHOD": "GET"])?.url.host == "ok")
    }
}
