import AioServer
import Logging
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
        do {
            try await withGracefulShutdownHandler {
                try await self.server.run()
            } onGracefulShutdown: {
                Task { try? await application.shutdown() }
            }
        } catch {
            try? await application.cleanup()
            throw error
        }
        try await application.cleanup()
    }
}
