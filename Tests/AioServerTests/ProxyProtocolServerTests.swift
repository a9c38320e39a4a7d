import AioServer
import AioTesting
import AioWire
import HTTPTypes
import NIOCore
import Testing

/// Answers with the remote address the server settled on, and the balancer's authority TLV.
struct RemoteResponder: HTTPResponder {
    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        let info = request.connection
        let text = "\(info.remoteAddress?.ipAddress ?? "-") \(info.remoteAddress?.port ?? -1) \(info.proxyProtocol?.authority ?? "-")"
        try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: text))
    }
}

@Suite("PROXY protocol listener")
struct ProxyProtocolServerTests {
    func configuration(trusting networks: [String], timeout: Duration = .seconds(5)) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.proxyProtocol = ProxyProtocolConfiguration(trustedNetworks: try networks.map(NetworkRange.init), headerTimeout: timeout)
        return configuration
    }

    static let get = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"

    @Test(.timeLimit(.minutes(1)))
    func theHeadersClientIsTheRemote() async throws {
        // A header timeout no busy test machine reaches: this test is about what headers say.
        let configuration = try self.configuration(trusting: ["127.0.0.0/8"], timeout: .seconds(60))
        try await withTestServer(responder: RemoteResponder(), configuration: configuration) { server in
            // Version 1, with the request in the same packet.
            let one = try await server.connect()
            try await one.send("PROXY TCP4 203.0.113.7 192.0.2.1 41000 443\r\n" + Self.get)
            #expect(String(buffer: try await one.readToEnd()).hasSuffix("\r\n\r\n203.0.113.7 41000 -"))
            // Version 2 with an authority TLV, sent a byte at a time.
            var header: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x21]
            var block = [UInt8](repeating: 0, count: 36)
            block[0] = 0x20
            block[1] = 0x01
            block[2] = 0x0D
            block[3] = 0xB8
            block[15] = 9  // 2001:db8::9
            block[32] = 0x30
            block[33] = 0x39  // 12345
            block += [0x02, 0, 11] + Array("example.org".utf8)
            header += [UInt8(block.count >> 8), UInt8(block.count & 0xFF)] + block
            let two = try await server.connect()
            for byte in header + Array(Self.get.utf8) { try await two.send(ByteBuffer(bytes: [byte])) }
            #expect(String(buffer: try await two.readToEnd()).hasSuffix("\r\n\r\n2001:db8::9 12345 example.org"))
            // A health check: LOCAL keeps the socket's own peer.
            let check = try await server.connect()
            try await check.send(ByteBuffer(bytes: [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0, 0]))
            try await check.send(Self.get)
            #expect(String(buffer: try await check.readToEnd()).contains("\r\n\r\n127.0.0.1 "))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anythingElseIsClosedBeforeHTTP() async throws {
        try await withTestServer(responder: RemoteResponder(), configuration: try self.configuration(trusting: ["127.0.0.0/8"], timeout: .milliseconds(300))) { server in
            for opening in [Self.get, "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n" + Self.get, "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n" + Self.get] {
                let connection = try await server.connect()
                try await connection.send(opening)
                #expect(try await connection.readToEnd().readableBytes == 0, "\(opening)")
            }
            // Silence: closed when the header timeout fires.
            let silent = try await server.connect()
            #expect(try await silent.readToEnd().readableBytes == 0)
        }
        // A peer outside the trusted networks is closed before it sends anything.
        try await withTestServer(responder: RemoteResponder(), configuration: try self.configuration(trusting: ["10.0.0.0/8", "fd00::/8"])) { server in
            let untrusted = try await server.connect()
            #expect(try await untrusted.readToEnd().readableBytes == 0)
        }
    }

    @Test func networkRanges() throws {
        let private10 = try NetworkRange("10.0.0.0/8")
        #expect(private10.contains(try SocketAddress(ipAddress: "10.200.3.4", port: 1)))
        #expect(!private10.contains(try SocketAddress(ipAddress: "11.0.0.1", port: 1)))
        #expect(private10.contains(try SocketAddress(ipAddress: "::ffff:10.1.2.3", port: 1)), "IPv4-mapped")
        let v6 = try NetworkRange("2001:db8::/33")
        #expect(v6.contains(try SocketAddress(ipAddress: "2001:db8:7fff::1", port: 1)))
        #expect(!v6.contains(try SocketAddress(ipAddress: "2001:db8:8000::1", port: 1)))
        #expect(try NetworkRange("192.168.1.77/24").contains(try SocketAddress(ipAddress: "192.168.1.1", port: 1)), "host bits cleared")
        #expect(try NetworkRange("127.0.0.1").contains(try SocketAddress(ipAddress: "127.0.0.1", port: 9)))
        #expect(try NetworkRange("0.0.0.0/0").contains(try SocketAddress(ipAddress: "8.8.8.8", port: 1)))
        for bad in ["10.0.0.0/33", "::/129", "example.com", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/9", ""] {
            #expect(throws: NetworkRange.Invalid.self, "\(bad)") { _ = try NetworkRange(bad) }
        }
    }
}
