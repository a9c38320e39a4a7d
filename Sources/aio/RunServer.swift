#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AioHTTP
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs `responder` until SIGINT or SIGTERM, then shuts down gracefully; prints where it listens.
func runServer(responder: some HTTPResponder, configuration: ServerConfiguration) async throws {
    let server = HTTPServer(responder: responder, configuration: configuration, logger: cliLogger)
    try await runServices(server, listening: server, restarts: nil)
}

/// Runs `application` (startup, serving, shutdown, cleanup) until SIGINT or SIGTERM; prints where
/// it listens. With `restarts`, SIGUSR2 hands the listening socket to a new process and drains.
func runApplication(_ application: Application, configuration: ServerConfiguration, restarts: Restarts? = nil) async throws {
    let server = HTTPServer(
        responder: try ApplicationResponder(application),
        configuration: configuration,
        logger: cliLogger,
        accessLogger: Logger(label: "aio.access")
    )
    try await runServices(ApplicationService(application: application, server: server), listening: server, restarts: restarts)
}

/// How a server restarts without closing its socket: on SIGUSR2 this program starts again, with
/// the same arguments, on `sockets`; once the new process is ready, this one drains and exits.
struct Restarts {
    /// The listening sockets handed on.
    var sockets: [ListeningSocket]
    /// Where the serving process writes its id once ready (nginx's and gunicorn's `--pid`).
    var pidFile: String?
}

/// The CLI's logger: info and above, to standard error.
let cliLogger: Logger = {
    var logger = Logger(label: "aio")
    logger.logLevel = .info
    return logger
}()

/// Runs `service` with graceful shutdown on SIGINT and SIGTERM, printing `server`'s address once
/// it listens and telling systemd (or the process this one replaces) it is ready.
private func runServices<Responder>(_ service: some Service, listening server: HTTPServer<Responder>, restarts: Restarts?) async throws {
    let group = ServiceGroup(
        configuration: .init(
            services: [.init(service: service)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: cliLogger
        )
    )
    let pid = getpid()
    Task {
        guard let address = try? await server.localAddress() else { return }
        let scheme = server.configuration.tls == nil ? "http" : "https"
        if let path = address.pathname {
            announce("Listening on unix:\(path)")
        } else {
            let host = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
            announce("Listening on \(scheme)://\(host):\(address.port ?? 0)")
        }
        if let path = restarts?.pidFile { writePidFile(path, pid: pid) }
        // Under systemd this process is the service's main one from now on: said to systemd
        // before the predecessor (if any) hears READY=1 and begins to exit.
        ServiceNotification.sendToManager("MAINPID=\(pid)")
        ServiceNotification.send("READY=1\nMAINPID=\(pid)")
    }
    #if os(Linux)
    if let restarts {
        Task { await restartOnSIGUSR2(restarts, group: group) }
    }
    #endif
    try await group.run()
    if let path = restarts?.pidFile, readPidFile(path) == pid { unlink(path) }
}

#if os(Linux)
/// On each SIGUSR2, starts this program again on the listening sockets; once the new process is
/// ready, drains `group`. A new process that fails leaves this one serving.
private func restartOnSIGUSR2(_ restarts: Restarts, group: ServiceGroup) async {
    for await _ in await UnixSignalsSequence(trapping: .sigusr2) {
        cliLogger.info("SIGUSR2: starting a new process on the listening socket")
        do {
            let pid = try await Successor.start(
                executable: CommandLine.arguments[0],
                arguments: Array(CommandLine.arguments.dropFirst()),
                sockets: restarts.sockets
            )
            cliLogger.info("process \(pid) took over: draining")
            await group.triggerGracefulShutdown()
            return
        } catch {
            cliLogger.error("restart failed, still serving: \(error)")
        }
    }
}
#endif

/// Writes `pid` to `path`, replacing the file at once (never half written).
private func writePidFile(_ path: String, pid: Int32) {
    let temporary = path + ".\(pid).tmp"
    let bytes = Array("\(pid)\n".utf8)
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        cliLogger.error("cannot write the pid file \(path)")
        return
    }
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    rename(temporary, path)
}

/// The process id in the pid file at `path`.
private func readPidFile(_ path: String) -> Int32? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Writes `line` to standard output at once, even when it is a pipe.
private func announce(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}
