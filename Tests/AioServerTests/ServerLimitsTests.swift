#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AioServer
import AioTesting
import HTTPTypes
import MetricsTestKit
import NIOCore
import Testing

/// Sends a large body in 64 KiB writes and reports when a write fails.
struct FloodResponder: HTTPResponder {
    static let pieces = 4096
    let failed: AsyncStream<Void>.Continuation

    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        var body = try await writer.writeHead(HTTPResponse(status: .ok))
        do {
            for _ in 0..<Self.pieces { try await body.write(ByteBuffer(repeating: 0x61, count: 65536)) }
            try await body.finish()
        } catch {
            self.failed.yield()
            throw error
        }
    }
}

@Suite("HTTP server: addresses, stalls and metrics")
struct ServerLimitsTests {
    @Test func servesOnIPv6Loopback() async throws {
        let server = HTTPServer(responder: TestResponder(), configuration: ServerConfiguration(address: .hostname("::1", port: 0)))
        let task = Task { try await server.run() }
        let address = try await server.localAddress()
        #expect(address.protocol == .inet6)
        let connection = try await TestConnection.connect(host: "::1", port: address.port!)
        #expect(try await connection.request(get("/text/v6")).text == "/text/v6")
        await server.shutdown()
        try await task.value
    }

    @Test(.timeLimit(.minutes(1)))
    func stalledRequestBodyIsATimeout() async throws {
        var configuration = ServerConfiguration()
        configuration.bodyReadTimeout = .milliseconds(300)
        try await withTestServer(responder: TestResponder(), configuration: configuration) { server in
            let connection = try await server.connect()
            // Ten bytes announced, three sent: the handler's body read times out.
            try await connection.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            let response = try await connection.readResponse()
            #expect(response.status == .requestTimeout)
            #expect(try await connection.readToEnd().readableBytes == 0, "closed: the rest of the body never came")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func stalledWritesCloseTheConnection() async throws {
        var configuration = ServerConfiguration()
        configuration.writeTimeout = .milliseconds(300)
        let (failures, failed) = AsyncStream.makeStream(of: Void.self)
        try await withTestServer(responder: FloodResponder(failed: failed), configuration: configuration) { server in
            // A plain socket that sends a request and never reads: the server's writes back up
            // until it gives up and closes the connection, which fails the handler's write.
            let socket = try RawSocket(port: server.port)
            defer { socket.close() }
            try socket.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            var events = failures.makeAsyncIterator()
            _ = await events.next()
            #expect(try socket.readUntilClosed() < FloodResponder.pieces * 65536)
        }
    }

    @Test func metricsCountRequestsByStatusClass() async throws {
        let metrics = TestMetrics()
        var configuration = ServerConfiguration()
        configuration.metricsFactory = metrics
        try await withTestServer(responder: TestResponder(), configuration: configuration) { server in
            let connection = try await server.connect()
            #expect(try await connection.request(get("/text/a")).status == .ok)
            #expect(try await connection.request(get("/fail/404")).status == .notFound)
            #expect(try await connection.request(get("/text/b")).status == .ok)
        }
        // The server has stopped: every response and connection has been recorded.
        #expect(try metrics.expectCounter("aio_http_requests_total", [("status", "2xx")]).totalValue == 2)
        #expect(try metrics.expectCounter("aio_http_requests_total", [("status", "4xx")]).totalValue == 1)
        #expect(try metrics.expectTimer("aio_http_request_duration_seconds").values.count == 3)
        let connections = try metrics.expectMeter("aio_http_open_connections")
        #expect(connections.values.max() == 1)
        #expect(connections.lastValue == 0)
    }
}

/// A blocking TCP socket to 127.0.0.1 with a small receive buffer, for a peer that does not read.
struct RawSocket {
    struct Failure: Error {
        let call: String
    }

    let descriptor: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        self.descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        self.descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard self.descriptor >= 0 else { throw Failure(call: "socket") }
        var size: Int32 = 4096
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(call: "connect") }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(self.descriptor, bytes, bytes.count) == bytes.count else { throw Failure(call: "write") }
    }

    /// Reads and counts bytes until the peer closes (or resets) the connection.
    func readUntilClosed() throws -> Int {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(self.descriptor, &buffer, buffer.count)
            if count <= 0 { return total }
            total += count
        }
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(self.descriptor)
        #else
        _ = Darwin.close(self.descriptor)
        #endif
    }
}
