#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AioHTTP
import Logging
import ServiceLifecycle

/// Runs `responder` until SIGINT or SIGTERM, then shuts down gracefully; prints where it listens.
func runServer(responder: some HTTPResponder, configuration: ServerConfiguration) async throws {
    let server = HTTPServer(responder: responder, configuration: configuration, logger: cliLogger)
    try await runServices(server, listening: server)
}

/// Runs `application` (startup, serving, shutdown, cleanup) until SIGINT or SIGTERM; prints where
/// it listens.
func runApplication(_ application: Application, configuration: ServerConfiguration) async throws {
    let server = HTTPServer(
        responder: try ApplicationResponder(application),
        configuration: configuration,
        logger: cliLogger,
        accessLogger: Logger(label: "aio.access")
    )
    try await runServices(ApplicationService(application: application, server: server), listening: server)
}

/// The CLI's logger: info and above, to standard error.
let cliLogger: Logger = {
    var logger = Logger(label: "aio")
    logger.logLevel = .info
    return logger
}()

/// Runs `service` with graceful shutdown on SIGINT and SIGTERM, printing `server`'s address once
/// it listens.
private func runServices<Responder>(_ service: some Service, listening server: HTTPServer<Responder>) async throws {
    let group = ServiceGroup(
        configuration: .init(
            services: [.init(service: service)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: cliLogger
        )
    )
    Task {
        guard let address = try? await server.localAddress() else { return }
        let scheme = server.configuration.tls == nil ? "http" : "https"
        if let path = address.pathname {
            announce("Listening on unix:\(path)")
        } else {
            let host = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
            announce("Listening on \(scheme)://\(host):\(address.port ?? 0)")
        }
    }
    try await group.run()
}

/// Writes `line` to standard output at once, even when it is a pipe.
private func announce(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}
