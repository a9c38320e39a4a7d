import AioHTTP
import ArgumentParser
import Logging
import NIOCore
import Prometheus

/// `aio serve`: the demo server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the demo server: httpbin's API on swift-aiohttp.",
        discussion: """
            Shuts down gracefully on Ctrl-C or SIGTERM: in-flight requests finish, then it exits. \
            SIGUSR2 restarts it without refusing a connection: a new process takes over the listening \
            socket, then this one drains. Under systemd's socket activation (LISTEN_FDS) it serves the \
            socket it is given.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "A PEM certificate chain, to serve HTTPS.")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "The oldest TLS version clients may use: 1.2 (default) or 1.3; 1.0 and 1.1 only for clients that cannot be upgraded.")
    var tlsMinVersion: TLSMinimumVersion = .v1_2

    @Option(name: .customLong("static"), help: "A directory to serve at /static/.")
    var staticDirectory: String?

    @Flag(help: "Log every request in aiohttp's access log format.")
    var accessLog = false

    @Option(help: "Event loops (threads); defaults to one per core.")
    var threads: Int?

    @Option(help: "The length of the queue of connections waiting to be accepted (default 256); with systemd's socket, set it to the unit's Backlog=.")
    var backlog: Int?

    @Option(help: "Seconds a client may take to send a request head (default 30).")
    var headTimeout: Double?

    @Option(help: "Seconds an idle keep-alive connection stays open (default 75).")
    var idleTimeout: Double?

    @Flag(help: "Expect HAProxy's PROXY protocol (v1 or v2) before every connection, from --trusted-proxy peers only.")
    var proxyProtocol = false

    @Option(help: "A balancer's address or CIDR block trusted to speak for clients (repeat for several).")
    var trustedProxy: [String] = []

    @Flag(help: "Believe the client's address, scheme and host from --trusted-proxy peers' forwarding fields.")
    var forwarded = false

    @Option(help: "The fields the trusted proxies write, which --forwarded reads: x-forwarded-for (the default, as HAProxy's option forwardfor), x-forwarded (X-Forwarded-For/-Proto/-Host, as nginx's sample) or forwarded (RFC 7239).")
    var forwardedFields: ForwardedFields = .xForwardedFor

    @Option(help: "Worker processes sharing the listening socket, kept running by this one (Linux).")
    var workers: Int?

    @Flag(help: "Serve the server's metrics in Prometheus's text format at /metrics.")
    var metrics = false

    @Option(help: "Write the serving process's id to this file once it is ready (a SIGUSR2 restart rewrites it).")
    var pidFile: String?

    func validate() throws {
        if let workers = self.workers, workers < 1 {
            throw ValidationError("--workers needs at least 1")
        }
        if (self.tlsCert == nil) != (self.tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if self.proxyProtocol, self.trustedProxy.isEmpty {
            throw ValidationError("--proxy-protocol needs at least one --trusted-proxy")
        }
        if self.forwarded, self.trustedProxy.isEmpty {
            throw ValidationError("--forwarded needs at least one --trusted-proxy")
        }
        for block in self.trustedProxy {
            do {
                _ = try NetworkRange(block)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    func run() async throws {
        var configuration = ServerConfiguration(address: .hostname(self.host, port: self.port))
        if let certificate = self.tlsCert, let key = self.tlsKey {
            configuration.tls = try .files(certificateChain: certificate, privateKey: key, minimumVersion: self.tlsMinVersion.value)
        }
        if self.accessLog { configuration.accessLog = .withTiming }
        if let threads = self.threads { configuration.eventLoopCount = threads }
        if let backlog = self.backlog { configuration.backlog = backlog }
        if let seconds = self.headTimeout { configuration.headReadTimeout = .milliseconds(Int(seconds * 1000)) }
        if let seconds = self.idleTimeout { configuration.idleTimeout = .milliseconds(Int(seconds * 1000)) }
        if self.proxyProtocol {
            configuration.proxyProtocol = ProxyProtocolConfiguration(trustedNetworks: try self.trustedProxy.map(NetworkRange.init))
        }
        if self.forwarded {
            configuration.forwarded = ForwardedHeaders(trustedNetworks: try self.trustedProxy.map(NetworkRange.init), source: self.forwardedFields.source)
        }
        // The socket is made here (or taken from systemd's socket activation, or from the
        // process this one replaces) so that SIGUSR2 can hand it to a new process.
        let listener = try ListeningSocket.activated().first
            ?? ListeningSocket.bind(.hostname(self.host, port: self.port), backlog: configuration.backlog)
        #if os(Linux)
        if let workers = self.workers {
            let arguments = WorkerSupervisor.workerArguments(Array(CommandLine.arguments.dropFirst()))
            try await WorkerSupervisor(sockets: [listener], arguments: arguments, count: workers).run(pidFile: self.pidFile)
            return
        }
        #endif
        configuration.address = .socket(listener)
        let app = try Httpbin.makeApplication(staticDirectory: self.staticDirectory)
        if self.metrics {
            let registry = PrometheusCollectorRegistry()
            configuration.metricsFactory = PrometheusMetricsFactory(registry: registry)
            app.router.get("/metrics") { _ in
                .bytes(ByteBuffer(bytes: registry.emitToBuffer()), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
        try await runApplication(app, configuration: configuration, restarts: Restarts(sockets: [listener], pidFile: self.pidFile))
    }
}

/// The values of `--forwarded-fields`.
enum ForwardedFields: String, ExpressibleByArgument, CaseIterable {
    case xForwardedFor = "x-forwarded-for"
    case xForwarded = "x-forwarded"
    case forwarded

    var source: ForwardedHeaders.Source {
        switch self {
        case .xForwardedFor: .xForwardedFor
        case .xForwarded: .xForwarded
        case .forwarded: .forwarded
        }
    }
}

/// The values of `--tls-min-version`.
enum TLSMinimumVersion: String, ExpressibleByArgument, CaseIterable {
    case v1_0 = "1.0"
    case v1_1 = "1.1"
    case v1_2 = "1.2"
    case v1_3 = "1.3"

    var value: ServerTLS.MinimumVersion {
        switch self {
        case .v1_0: .tls1_0
        case .v1_1: .tls1_1
        case .v1_2: .tls1_2
        case .v1_3: .tls1_3
        }
    }
}
