import AioServer
import Logging
import NIOCore

/// A live server on 127.0.0.1, on a port the system picks, for tests: start it, connect to it,
/// shut it down.
///
/// ```swift
/// try await withTestServer(responder: myResponder) { server in
///     let connection = try await server.connect()
///     let response = try await connection.request(HTTPRequest(method: .get, scheme: "http", authority: "test", path: "/"))
///     #expect(response.status == .ok)
/// }
/// ```
public final class TestServer<Responder: HTTPResponder>: Sendable {
    /// The server under test.
    public let server: HTTPServer<Responder>
    /// The port it listens on.
    public let port: Int
    private let task: Task<Void, any Error>

    private init(server: HTTPServer<Responder>, port: Int, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.task = task
    }

    /// Starts `responder` behind a server listening on 127.0.0.1:0 (the address in
    /// `configuration` is replaced).
    public static func start(
        responder: Responder,
        configuration: ServerConfiguration = .init(),
        logger: Logger = Logger(label: "aio.test")
    ) async throws -> TestServer {
        var configuration = configuration
        configuration.address = .hostname("127.0.0.1", port: 0)
        if configuration.eventLoopCount > 2 { configuration.eventLoopCount = 2 }
        let server = HTTPServer(responder: responder, configuration: configuration, logger: logger)
        let task = Task { try await server.run() }
        let address = try await server.localAddress()
        return TestServer(server: server, port: address.port ?? 0, task: task)
    }

    /// Opens a new TCP connection to the server.
    public func connect() async throws -> TestConnection {
        try await TestConnection.connect(host: "127.0.0.1", port: self.port)
    }

    /// Shuts the server down gracefully and waits until it has stopped.
    public func shutdown() async throws {
        await self.server.shutdown()
        try await self.task.value
    }

    /// Waits until the server stops, however it was stopped.
    public func waitUntilStopped() async throws {
        try await self.task.value
    }
}

/// Runs `body` with a live server for `responder`, shutting it down afterwards.
public func withTestServer<Responder: HTTPResponder, Result>(
    responder: Responder,
    configuration: ServerConfiguration = .init(),
    _ body: (TestServer<Responder>) async throws -> Result
) async throws -> Result {
    let server = try await TestServer.start(responder: responder, configuration: configuration)
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}
