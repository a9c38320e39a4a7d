import AioServer
import AioTesting
import Foundation
import HTTPTypes
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Keeps log messages for inspection.
final class CapturingLogHandler: LogHandler, Sendable {
    let messages = NIOLockedValueBox<[String]>([])
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        self.messages.withLockedValue { $0.append("\(event.message)") }
    }
}

@Suite("Transports and logging")
struct TransportTests {
    /// Sends `request` to a server logging in `format`; the response and the access log lines.
    func accessLog(_ format: AccessLogFormat, request: String) async throws -> (TestResponse, [String]) {
        let capture = CapturingLogHandler()
        var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: 0))
        configuration.accessLog = format
        let server = HTTPServer(
            responder: TestResponder(),
            configuration: configuration,
            accessLogger: Logger(label: "test.access") { _ in capture }
        )
        let running = Task { try await server.run() }
        let port = try await server.localAddress().port!
        let connection = try await TestConnection.connect(host: "127.0.0.1", port: port)
        try await connection.send(request)
        let response = try await connection.readResponse()
        try await connection.close()
        await server.shutdown()
        try await running.value
        return (response, capture.messages.withLockedValue { $0 })
    }

    @Test func accessLogInAiohttpFormat() async throws {
        let (_, lines) = try await self.accessLog(
            .withTiming,
            request: "GET /text/log?x=1 HTTP/1.1\r\nHost: t\r\nUser-Agent: tester/1.0\r\nReferer: http://r/\r\n\r\n"
        )
        #expect(lines.count == 1)
        let pattern = #/^127\.0\.0\.1 \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /text/log\?x=1 HTTP/1\.1" 200 \d+ "http://r/" "tester/1\.0" \d+\.\d{6}$/#
        #expect(lines.first.map { $0.wholeMatch(of: pattern) != nil } == true, "\(lines)")
        #expect(AccessLogFormat("%q") == nil)
        #expect(AccessLogFormat("%{Bad Name}i") == nil)
    }

    /// `%{…}o` sees the fields the server writes itself: `Content-Length`, `Date`, `Server`, and
    /// `Connection: close` when the client asked for it.
    @Test func accessLogSeesServerFields() async throws {
        let format = try #require(AccessLogFormat("%s|%{Content-Length}o|%{Date}o|%{Server}o|%{Connection}o"))
        let (response, lines) = try await self.accessLog(format, request: "GET /text/log HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let fields = lines.first?.split(separator: "|").map(String.init) ?? []
        #expect(fields.count == 5, "\(lines)")
        guard fields.count == 5 else { return }
        #expect(fields[0] == "200")
        #expect(fields[1] == response.head.response.headerFields[.contentLength])
        #expect(fields[2] == response.head.response.headerFields[.date] && fields[2].hasSuffix("GMT"))
        #expect(fields[3] == response.head.response.headerFields[.server] && fields[3] != "-")
        #expect(fields[4] == "close")
    }

    @Test func unixDomainSocket() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aio-\(UUID().uuidString).sock").path
        let server = HTTPServer(responder: TestResponder(), configuration: .init(address: .unixDomainSocket(path: path)))
        let running = Task { try await server.run() }
        _ = try await server.localAddress()
        let result = try await ExternalProcess.run(["curl", "-s", "--unix-socket", path, "http://localhost/text/unix"])
        #expect(result.output == "/text/unix")
        await server.shutdown()
        try await running.value
    }

    /// The configured backlog holds for a socket handed over (systemd's, or a restart's) as for
    /// one the server binds: SwiftNIO listens again with 128 when it takes a bound socket over.
    /// `ss` shows a listening socket's queue length in its Send-Q column.
    @Test func backlogOfBoundAndHandedOverSockets() async throws {
        func queueLength(port: Int) async throws -> Int? {
            let result = try await ExternalProcess.run(["ss", "-ltnH", "sport = :\(port)"])
            // State, Recv-Q, Send-Q, local and peer addresses.
            return result.output.split(whereSeparator: \.isWhitespace).dropFirst(2).first.flatMap { Int($0) }
        }
        let handedOver = try ListeningSocket.bind(.hostname("127.0.0.1", port: 0), backlog: 16)
        for address in [BindAddress.hostname("127.0.0.1", port: 0), .socket(handedOver)] {
            var configuration = ServerConfiguration(address: address)
            configuration.backlog = 700
            let server = HTTPServer(responder: TestResponder(), configuration: configuration)
            let running = Task { try await server.run() }
            let port = try await server.localAddress().port!
            #expect(try await queueLength(port: port) == 700, "\(address)")
            await server.shutdown()
            try await running.value
        }
    }

    @Test func tlsWithCurlAndPlainTextRefused() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: 0))
        configuration.tls = try .files(certificateChain: certificates.certificate, privateKey: certificates.privateKey)
        let server = HTTPServer(responder: TestResponder(), configuration: configuration)
        let running = Task { try await server.run() }
        let port = try await server.localAddress().port!
        let result = try await ExternalProcess.run([
            "curl", "-s", "--cacert", certificates.authority,
            "-w", " %{http_version}", "https://localhost:\(port)/text/secure",
        ])
        #expect(result.output == "/text/secure 1.1", "\(result.error)")
        let plain = try await TestConnection.connect(host: "127.0.0.1", port: port)
        try await plain.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try await plain.readToEnd()
        #expect(try await ExternalProcess.run(["curl", "-s", "-k", "https://127.0.0.1:\(port)/text/again"]).output == "/text/again")
        await server.shutdown()
        try await running.value
    }

    /// RFC 8996: TLS 1.0 and 1.1 handshakes fail by default, 1.2 and 1.3 complete; an app that
    /// lowers the minimum gets 1.0 back (which shows the refusal is the server's, not the
    /// client's: Debian's OpenSSL refuses old versions unless its security level is lowered).
    @Test func tlsVersions() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        func handshake(_ version: String, port: Int) async throws -> Bool {
            let result = try await ExternalProcess.run([
                "openssl", "s_client", "-connect", "127.0.0.1:\(port)", version, "-cipher", "DEFAULT@SECLEVEL=0",
            ])
            return result.status == 0 && result.output.contains("BEGIN CERTIFICATE")
        }
        for minimum in [ServerTLS.MinimumVersion.tls1_2, .tls1_0] {
            var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: 0))
            configuration.tls = try .files(
                certificateChain: certificates.certificate,
                privateKey: certificates.privateKey,
                minimumVersion: minimum
            )
            let server = HTTPServer(responder: TestResponder(), configuration: configuration)
            let running = Task { try await server.run() }
            let port = try await server.localAddress().port!
            let legacy = minimum == .tls1_0
            #expect(try await handshake("-tls1", port: port) == legacy, "TLS 1.0 from \(minimum)")
            #expect(try await handshake("-tls1_1", port: port) == legacy, "TLS 1.1 from \(minimum)")
            #expect(try await handshake("-tls1_2", port: port), "TLS 1.2 from \(minimum)")
            #expect(try await handshake("-tls1_3", port: port), "TLS 1.3 from \(minimum)")
            if !legacy {
                // TLS 1.2 offers no suite without forward secrecy and AEAD.
                let cbc = try await ExternalProcess.run([
                    "openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256",
                ])
                #expect(cbc.status != 0)
            }
            await server.shutdown()
            try await running.value
        }
    }
}
