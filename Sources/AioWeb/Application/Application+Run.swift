import AioServer
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

extension Application {
    /// Serves the application until SIGINT or SIGTERM (aiohttp's `web.run_app`): startup
    /// signals, the server, then on shutdown the shutdown signals while connections finish, and
    /// the cleanup signals once the server has stopped.
    public func run(
        configuration: ServerConfiguration = .init(),
        accessLogger: Logger = Logger(label: "aio.access")
    ) async throws {
        let server = HTTPServer(
            responder: try ApplicationResponder(self),
            configuration: configuration,
            logger: self.logger,
            accessLogger: accessLogger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: ApplicationService(application: self, server: server))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: self.logger
            )
        )
        try await group.run()
    }
}

/// Runs an application's life around its server, as a swift-service-lifecycle `Service`.
public struct ApplicationService: Service {
    /// The application.
    public let application: Application
    /// The server answering with it.
    public let server: HTTPServer<ApplicationResponder>

    /// A service running `application` behind `server`.
    public init(application: Application, server: HTTPServer<ApplicationResponder>) {
        self.application = application
        self.server = server
    }

    public func run() async throws {
        try await self.application.startup()
        let application = self.application
        // The shutdown signals start with the graceful shutdown, while connections finish; the
        // cleanup signals wait for them to have run, as in aiohttp.
        let shutdown = NIOLockedValueBox<Task<Void, Never>?>(nil)
        do {
            try await withGracefulShutdownHandler {
                try await self.server.run()
            } onGracefulShutdown: {
                shutdown.withLockedValue { $0 = Task { try? await application.shutdown() } }
            }
        } catch {
            await shutdown.withLockedValue { $0 }?.value
            try? await application.cleanup()
            throw error
        }
        await shutdown.withLockedValue { $0 }?.value
        try await application.cleanup()
    }
}
