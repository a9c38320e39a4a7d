import AioServer
import AioTesting
import HTTPTypes
import Logging
import NIOCore
import Testing

/// Answers with the client the server settled on: address, scheme and host.
struct ClientResponder: HTTPResponder {
    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        let text = "\(request.remoteAddress?.ipAddress ?? "-") \(request.scheme) \(request.host ?? "-")"
        try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: text))
    }
}

@Suite("Forwarded fields on a live server")
struct ForwardedServerTests {
    func configuration(trusting networks: [String], source: ForwardedHeaders.Source = .xForwarded) throws -> ServerConfiguration {
        var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: 0))
        configuration.forwarded = ForwardedHeaders(trustedNetworks: try networks.map(NetworkRange.init), source: source)
        return configuration
    }

    /// The body of the answer to a request with `fields` from 127.0.0.1.
    func client<Responder: HTTPResponder>(_ server: TestServer<Responder>, _ fields: String) async throws -> String {
        let connection = try await server.connect()
        try await connection.send("GET / HTTP/1.1\r\nHost: direct.test\r\n\(fields)Connection: close\r\n\r\n")
        let answer = String(buffer: try await connection.readToEnd())
        return String(answer[(answer.range(of: "\r\n\r\n")?.upperBound ?? answer.endIndex)...])
    }

    @Test(.timeLimit(.minutes(1)))
    func trustedProxiesSpeakForTheClient() async throws {
        let spoofed = "X-Forwarded-For: 6.6.6.6, 203.0.113.9, 10.1.2.3\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n"
        try await withTestServer(responder: ClientResponder(), configuration: try self.configuration(trusting: ["127.0.0.0/8", "10.0.0.0/8"])) { (server: TestServer<ClientResponder>) async throws -> Void in
            // The hop the client wrote itself (6.6.6.6) is left of the first untrusted one.
            #expect(try await self.client(server, spoofed) == "203.0.113.9 https shop.example")
            // Without the fields, the peer itself.
            #expect(try await self.client(server, "") == "127.0.0.1 http direct.test")
            // A client's own `Forwarded` is not what these proxies write: ignored.
            #expect(try await self.client(server, "Forwarded: for=6.6.6.6;proto=https\r\n") == "127.0.0.1 http direct.test")
            // Malformed: nothing changes.
            #expect(try await self.client(server, "X-Forwarded-For: 203.0.113.9, bogus\r\n") == "127.0.0.1 http direct.test")
        }
        // Proxies that write X-Forwarded-For alone (the default): -Proto and -Host are the
        // client's own, never believed.
        try await withTestServer(responder: ClientResponder(), configuration: try self.configuration(trusting: ["127.0.0.0/8", "10.0.0.0/8"], source: .xForwardedFor)) { (server: TestServer<ClientResponder>) async throws -> Void in
            #expect(try await self.client(server, spoofed) == "203.0.113.9 http direct.test")
        }
        try await withTestServer(responder: ClientResponder(), configuration: try self.configuration(trusting: ["127.0.0.0/8"], source: .forwarded)) { (server: TestServer<ClientResponder>) async throws -> Void in
            #expect(try await self.client(server, "Forwarded: for=\"[2001:db8::7]:443\";proto=https;host=api.example\r\n") == "2001:db8::7 https api.example")
            #expect(try await self.client(server, "Forwarded: for=unknown\r\n") == "- http direct.test")
            #expect(try await self.client(server, spoofed) == "127.0.0.1 http direct.test")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anUntrustedPeerChangesNothing() async throws {
        try await withTestServer(responder: ClientResponder(), configuration: try self.configuration(trusting: ["10.0.0.0/8"])) { (server: TestServer<ClientResponder>) async throws -> Void in
            let forged = "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n"
            #expect(try await self.client(server, forged) == "127.0.0.1 http direct.test")
        }
    }

    /// Behind a PROXY protocol balancer, the client it relays is the peer the rules judge: a
    /// client outside the trusted networks cannot forge `X-Forwarded-For` through it.
    @Test(.timeLimit(.minutes(1)))
    func theProxyProtocolsClientIsJudged() async throws {
        var configuration = try self.configuration(trusting: ["127.0.0.0/8", "192.0.2.0/24"])
        configuration.proxyProtocol = ProxyProtocolConfiguration(trustedNetworks: [try NetworkRange("127.0.0.0/8")], headerTimeout: .seconds(60))
        try await withTestServer(responder: ClientResponder(), configuration: configuration) { (server: TestServer<ClientResponder>) async throws -> Void in
            for (relayed, expected) in [("203.0.113.50", "203.0.113.50"), ("192.0.2.8", "198.51.100.4")] {
                let connection = try await server.connect()
                try await connection.send(
                    "PROXY TCP4 \(relayed) 192.0.2.1 41000 80\r\nGET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 198.51.100.4\r\nConnection: close\r\n\r\n"
                )
                let answer = String(buffer: try await connection.readToEnd())
                #expect(answer.hasSuffix("\r\n\r\n\(expected) http h"), "\(relayed): \(answer)")
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theAccessLogNamesTheClient() async throws {
        let capture = CapturingLogHandler()
        var configuration = try self.configuration(trusting: ["127.0.0.0/8"])
        configuration.accessLog = AccessLogFormat("%a %r %s")
        let server = HTTPServer(responder: ClientResponder(), configuration: configuration, accessLogger: Logger(label: "test.access") { _ in capture })
        let running = Task { try await server.run() }
        let port = try await server.localAddress().port!
        for fields in ["X-Forwarded-For: 203.0.113.9\r\n", ""] {
            let connection = try await TestConnection.connect(host: "127.0.0.1", port: port)
            try await connection.send("GET /x HTTP/1.1\r\nHost: t\r\n\(fields)Connection: close\r\n\r\n")
            _ = try await connection.readToEnd()
        }
        await server.shutdown()
        try await running.value
        #expect(capture.messages.withLockedValue { $0 } == ["203.0.113.9 GET /x HTTP/1.1 200", "127.0.0.1 GET /x HTTP/1.1 200"])
    }
}
