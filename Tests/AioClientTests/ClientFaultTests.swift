import AioClient
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// The client against servers that misbehave: every fault is a typed error, never a short body
/// or a hang.
@Suite("Client faults")
struct ClientFaultTests {
    @Test(.timeLimit(.minutes(1)))
    func closingTheSessionFailsItsRunningRequestsAsClientDisconnected() async throws {
        let (headSeen, seen) = AsyncStream<Void>.makeStream()
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            seen.yield()
            // Never answers; waits for the client to leave.
            while try await inbound.next() != nil {}
        }
        let session = try ClientSession()
        let response = Task { try await session.get(server.url) }
        for await _ in headSeen { break }
        await session.close()
        await #expect(throws: ClientDisconnectedError.self) { _ = try await response.value }
        await server.stop()
    }

    @Test func aBodyCutShortIsAPayloadError() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            let response = try await session.get(server.url)
            await #expect(throws: ClientPayloadError.self) { _ = try await response.read() }
        }
        await server.stop()
    }

    @Test func aBadChunkIsAPayloadError() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            let response = try await session.get(server.url)
            await #expect(throws: ClientPayloadError.self) { _ = try await response.read() }
        }
        await server.stop()
    }

    @Test func aTruncatedGzipBodyIsAPayloadError() async throws {
        // The first 20 bytes of a gzip stream of "hello hello hello".
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x57, 0xC8, 0x40, 0x27, 0x00]
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: \(gzip.count)\r\n\r\n")
            try await outbound.write(ByteBuffer(bytes: gzip))
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            let response = try await session.get(server.url)
            await #expect(throws: ClientPayloadError.self) { _ = try await response.read() }
        }
        await server.stop()
    }

    @Test func aBodyUntilCloseEndsWithTheConnection() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 200 OK\r\n\r\nall of it")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            #expect(try await session.get(server.url).text() == "all of it")
        }
        await server.stop()
    }

    @Test func aMalformedStatusLineIsRefused() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 2x0 OK\r\n\r\n")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            await #expect(throws: MalformedResponseError.self) { _ = try await session.get(server.url) }
        }
        await server.stop()
    }

    /// A switch of protocols nobody asked for is refused, not handed over as a response.
    @Test func anUnaskedUpgradeIsRefused() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\nh2c bytes")
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            await #expect(throws: MalformedResponseError.self) { _ = try await session.get(server.url) }
        }
        await server.stop()
    }

    /// The server answers one request per connection, then closes the next one unanswered: an
    /// idempotent request is sent again on a new connection; a POST is not.
    @Test func aStaleConnectionIsRetriedOnceForIdempotentRequests() async throws {
        let server = try await RawServer.start { inbound, outbound, number in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 200 OK\r\nContent-Length: \(String(number).count)\r\n\r\n\(number)")
            _ = try await inbound.readHead()
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            #expect(try await session.get(server.url).text() == "0")
            #expect(try await session.get(server.url).text() == "1", "retried on the second connection")
            await #expect(throws: ServerDisconnectedError.self) {
                _ = try await session.post(server.url, body: .text("once"))
            }
        }
        await server.stop()
    }

    @Test func eachTimeoutFires() async throws {
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            // Never answers; waits for the client to give up.
            while try await inbound.next() != nil {}
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            let read = await #expect(throws: SocketTimeoutError.self) {
                _ = try await session.get(server.url, timeout: ClientTimeout(total: nil, sockRead: 0.2))
            }
            #expect(read?.seconds == 0.2)
            await #expect(throws: TotalTimeoutError.self) {
                _ = try await session.get(server.url, timeout: ClientTimeout(total: 0.2))
            }
            let any = await #expect(throws: (any Error).self) {
                _ = try await session.get(server.url, timeout: ClientTimeout(total: 0.2))
            }
            #expect(any is any ClientTimeoutError, "every timeout is caught as ClientTimeoutError")
        }
        await server.stop()
    }

    @Test func aRefusedConnectionNamesTheHost() async throws {
        // A port that was just free: nothing listens there.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress!.port!
        try await probe.close()
        try await withClientSession { (session: ClientSession) async throws -> Void in
            let error = await #expect(throws: ClientConnectorSocketError.self) {
                _ = try await session.get("http://127.0.0.1:\(port)/")
            }
            #expect(error?.port == port && error?.host == "127.0.0.1")
            let any = await #expect(throws: (any Error).self) { _ = try await session.get("http://127.0.0.1:\(port)/") }
            #expect(any is any ClientConnectionError)
            #expect(any is any ClientOSError)
        }
    }

    @Test func unsolicitedBytesCloseAnIdleConnection() async throws {
        let server = try await RawServer.start { inbound, outbound, number in
            _ = try await inbound.readHead()
            try await outbound.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n\(number)HTTP/1.1 200 OK\r\n\r\n")
            while try await inbound.next() != nil {}
        }
        try await withClientSession { (session: ClientSession) async throws -> Void in
            #expect(try await session.get(server.url).text() == "0")
            #expect(try await session.get(server.url).text() == "1", "the connection with extra bytes was not reused")
        }
        await server.stop()
    }
}
