import AioClient
import AioServer
import AioTesting
import AioWeb
import Crypto
import HTTPTypes
import NIOCore
import NIOSSL
import Testing

/// TLS verification and pinning, and the pool under more than one host.
@Suite("Client TLS and pool")
struct ClientTLSAndPoolTests {
    @Test func verificationAndPinning() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        var configuration = ServerConfiguration()
        configuration.tls = try .files(certificateChain: certificates.certificate, privateKey: certificates.privateKey)
        let app = echoApp()
        _ = try app.freeze()
        try await withTestServer(responder: try ApplicationResponder(app), configuration: configuration) { server in
            let url = "https://localhost:\(server.port)/echo"
            // The system's roots do not know the test CA.
            try await withClientSession { (session: ClientSession) async throws -> Void in
                await #expect(throws: ClientConnectorCertificateError.self) { _ = try await session.get(url) }
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(certificates.authority)
            try await withClientSession(connector: ClientConnector(tls: tls)) { (session: ClientSession) async throws -> Void in
                let echoed = try await session.get(url).json(as: Echo.self)
                #expect(echoed.method == "GET")
                // Both requests on the one TLS connection.
                #expect(try await session.get(url).json(as: Echo.self).port == echoed.port)
            }
            // SNI and verification by another name than the URL's host.
            let byAddress = "https://127.0.0.1:\(server.port)/echo"
            let named = ClientConnector(tls: tls, serverHostname: "localhost")
            try await withClientSession(connector: named) { (session: ClientSession) async throws -> Void in
                #expect(try await session.get(byAddress).status == .ok)
            }
            let der = try NIOSSLCertificate.fromPEMFile(certificates.certificate)[0].toDERBytes()
            let right = Array(SHA256.hash(data: der))
            try await withClientSession(connector: ClientConnector(pinnedFingerprint: right)) { (session: ClientSession) async throws -> Void in
                #expect(try await session.get(url).status == .ok, "a pinned certificate needs no trusted CA")
            }
            var wrong = right
            wrong[0] ^= 0xFF
            try await withClientSession(connector: ClientConnector(pinnedFingerprint: wrong)) { (session: ClientSession) async throws -> Void in
                let error = await #expect(throws: FingerprintMismatch.self) { _ = try await session.get(url) }
                #expect(error?.got == right && error?.expected == wrong && error?.port == server.port)
            }
        }
    }

    /// The name sent in SNI: none for an address, `serverHostname` when given (read from the
    /// ClientHello, which travels in clear).
    @Test(.timeLimit(.minutes(1)))
    func serverHostnameIsSentInSNI() async throws {
        let (hellos, hello) = AsyncStream<String>.makeStream()
        let server = try await RawServer.start { inbound, _, _ in
            if let first = try await inbound.next() { hello.yield(String(decoding: first.readableBytesView, as: UTF8.self)) }
        }
        var iterator = hellos.makeAsyncIterator()
        for name in [nil, "sni.example"] as [String?] {
            try await withClientSession(connector: ClientConnector(serverHostname: name)) { (session: ClientSession) async throws -> Void in
                do {
                    _ = try await session.get("https://127.0.0.1:\(server.port)/")
                    Issue.record("a server that closes after the ClientHello gave a response")
                } catch {
                    #expect(error is any ClientError, "\(error)")
                }
            }
            let clientHello = await iterator.next() ?? ""
            #expect(clientHello.contains("sni.example") == (name != nil))
        }
        await server.stop()
    }

    @Test func sessionCredentialsStayWithTheirOrigin() async throws {
        let other = echoApp()
        _ = try other.freeze()
        try await withTestServer(responder: try ApplicationResponder(other)) { otherServer in
            let app = echoApp()
            _ = try app.freeze()
            try await withTestServer(responder: try ApplicationResponder(app)) { server in
                let session = try ClientSession(baseURL: "http://127.0.0.1:\(server.port)", headers: [.authorization: "Bearer session"])
                let same = try await session.get("/redirect/302").json(as: Echo.self)
                #expect(same.authorization == "Bearer session")
                let away = "http://127.0.0.1:\(otherServer.port)/echo"
                let cross = try await session.get("/redirect/302", params: [("to", away)]).json(as: Echo.self)
                #expect(cross.authorization == nil, "the session's credentials do not follow a redirect to another origin")
                await session.close()
            }
        }
    }

    /// With a total limit of one, an idle connection to one host gives its slot to a request for
    /// another, instead of making it wait for the keep-alive timeout.
    @Test func idleConnectionsDoNotBlockOtherHosts() async throws {
        let first = echoApp()
        _ = try first.freeze()
        let second = echoApp()
        _ = try second.freeze()
        try await withTestServer(responder: try ApplicationResponder(first)) { one in
            try await withTestServer(responder: try ApplicationResponder(second)) { two in
                let timeout = ClientTimeout(total: 5, connect: 2)
                try await withClientSession(timeout: timeout, connector: ClientConnector(limit: 1)) { (session: ClientSession) async throws -> Void in
                    #expect(try await session.get("http://127.0.0.1:\(one.port)/echo").status == .ok)
                    #expect(try await session.get("http://127.0.0.1:\(two.port)/echo").status == .ok)
                    #expect(try await session.get("http://127.0.0.1:\(one.port)/echo").status == .ok)
                }
            }
        }
    }

    /// A request waiting for a pool slot gives up at its connect timeout, and a cancelled one
    /// at once; the slot's holder is not disturbed.
    @Test func waitersTimeOutAndCancel() async throws {
        let started = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let app = Application()
        app.router.get("/hold") { _ in
            started.continuation.yield()
            for await _ in release.stream { break }
            return .text("held")
        }
        try await withServedApp(app, connector: ClientConnector(limit: 1)) { session, _ in
            let holder = Task { try await session.get("/hold").text() }
            // The holder has the only connection once its request reached the server.
            for await _ in started.stream { break }
            let timedOut = await #expect(throws: ConnectionTimeoutError.self) {
                _ = try await session.get("/hold", timeout: ClientTimeout(total: nil, connect: 0.1))
            }
            #expect(timedOut?.seconds == 0.1)
            // Cancelled before or after it joined the line: either way it leaves at once.
            let waiter = Task { try await session.get("/hold") }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiter.value }
            release.continuation.yield()
            let held = try await holder.value
            #expect(held == "held")
            let after = try await session.get("/echo-free")
            #expect(after.status == .notFound, "the slot is free again")
        }
    }
}
