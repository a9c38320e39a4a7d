import AioServer
import AioTestSupport
import AioTesting
import HTTPTypes
import NIOCore
import Testing

/// Tells the test a request has arrived, then answers once the gate opens, or tells it the
/// handler was cancelled.
struct WaitingResponder: HTTPResponder {
    let arrived: Gate
    let release: Gate
    var cancelled = Gate()

    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        if request.request.path == "/wait" {
            self.arrived.open()
            await self.release.wait()
            if Task.isCancelled { self.cancelled.open() }
        }
        try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: "done"))
    }
}

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test func inFlightFinishesIdleClosesNewRefused() async throws {
        let arrived = Gate()
        let release = Gate()
        var configuration = ServerConfiguration()
        configuration.drainIdleTimeout = .zero
        let server = try await TestServer.start(responder: WaitingResponder(arrived: arrived, release: release), configuration: configuration)
        let idle = try await server.connect()
        #expect(try await idle.request(get("/quick")).status == .ok)
        let busy = try await server.connect()
        try await busy.send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n")
        await arrived.wait()

        await server.server.shutdown()
        await #expect(throws: (any Error).self, "no new connections once shutdown started") {
            _ = try await server.connect()
        }
        #expect(try await idle.readToEnd().readableBytes == 0, "an idle keep-alive connection closes at once")

        release.open()
        let response = try await busy.readResponse()
        #expect(response.status == .ok)
        #expect(response.text == "done")
        #expect(response.headerFields[.connection] == "close")
        #expect(try await busy.readToEnd().readableBytes == 0)
        try await server.waitUntilStopped()
    }

    /// A keep-alive client that sends its next request as the server starts shutting down is
    /// answered, not cut off (it would see a reset or an empty reply), and then closed.
    @Test(.timeLimit(.minutes(1)))
    func aRequestOnItsWayIsAnsweredWhileDraining() async throws {
        var configuration = ServerConfiguration()
        configuration.drainIdleTimeout = .seconds(5)
        let server = try await TestServer.start(responder: WaitingResponder(arrived: Gate(), release: Gate()), configuration: configuration)
        let keptAlive = try await server.connect()
        #expect(try await keptAlive.request(get("/quick")).status == .ok)
        let idle = try await server.connect()
        #expect(try await idle.request(get("/quick")).status == .ok)
        // A head half sent when the drain begins is read to its end and answered.
        let halfway = try await server.connect()
        try await halfway.send("GET /quick HTTP/1.1\r\nHo")
        await server.server.shutdown()
        let response = try await keptAlive.request(get("/quick"))
        #expect(response.status == .ok)
        #expect(response.text == "done")
        #expect(response.head.response.headerFields[.connection] == "close")
        #expect(try await keptAlive.readToEnd().readableBytes == 0)
        try await halfway.send("st: t\r\n\r\n")
        let finished = try await halfway.readResponse(to: .get)
        #expect(finished.status == .ok && finished.head.response.headerFields[.connection] == "close")
        #expect(try await halfway.readToEnd().readableBytes == 0)
        // The connection that stays idle is closed when the drain period is over.
        #expect(try await idle.readToEnd().readableBytes == 0)
        try await server.waitUntilStopped()
    }

    @Test(.timeLimit(.minutes(1)))
    func gracePeriodEndsAndCancelsHandlers() async throws {
        let arrived = Gate()
        let release = Gate()
        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .milliseconds(100)
        let responder = WaitingResponder(arrived: arrived, release: release)
        let server = try await TestServer.start(responder: responder, configuration: configuration)
        let stuck = try await server.connect()
        try await stuck.send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n")
        await arrived.wait()
        await server.server.shutdown()
        #expect(try await stuck.readToEnd().readableBytes == 0, "closed when the grace period is over")
        // The handler still waiting is cancelled, so the server stops without it giving up.
        await responder.cancelled.wait()
        try await server.waitUntilStopped()
    }

    /// Stopping never schedules work on event loops that are already gone: SwiftNIO prints a
    /// warning for it, and crashes under `SWIFTNIO_STRICT`, which the test command sets. Servers
    /// stopped side by side, each right after answering, race the closing of their listeners
    /// against their own shutdown calls (the race once lost on a loaded machine).
    @Test(.timeLimit(.minutes(1)))
    func shutdownSchedulesNothingOnStoppedEventLoops() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for index in 0..<40 {
                        // The idle connection closes at once, or when a short drain period ends.
                        var configuration = ServerConfiguration()
                        configuration.drainIdleTimeout = .milliseconds(index % 2 == 0 ? 0 : 5)
                        let server = try await TestServer.start(responder: TestResponder(), configuration: configuration)
                        let connection = try await server.connect()
                        #expect(try await connection.request(get("/text/\(index)")).text == "/text/\(index)")
                        try await server.shutdown()
                        try await connection.close()
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
