// A production-style main: a server with TLS, its timeouts and limits set, behind a layer-4
// balancer that sends the PROXY protocol, with an access log; the application runs in a
// ServiceGroup next to another service and shuts down gracefully on SIGTERM or SIGINT.
// Compiled by the build but not run: it serves until stopped, and it needs a certificate and
// key at the paths below.
import AioHTTP
import Logging
import ServiceLifecycle

// snippet.configuration
var configuration = ServerConfiguration(address: .hostname("0.0.0.0", port: 8443))
configuration.headReadTimeout = .seconds(10)      // to send a request head (default 30 s)
configuration.idleTimeout = .seconds(60)          // a connection that sends nothing (75 s)
configuration.bodyReadTimeout = .seconds(30)      // a body that stops coming (60 s)
configuration.writeTimeout = .seconds(30)         // a client that stops reading (60 s)
configuration.shutdownGracePeriod = .seconds(25)  // for requests in flight at shutdown (10 s)
configuration.drainIdleTimeout = .seconds(2)      // for idle keep-alive connections then (1 s)
configuration.maxRequestBodySize = 16 << 20       // 413 past 16 MiB (default: no limit)
configuration.parser.maxHeadLength = 32 << 10     // 431 past a 32 KiB head (64 KiB)
configuration.maxPipelinedRequests = 4            // parsed ahead, then reading pauses (16)
configuration.backlog = 1024                      // the listen queue (256)
configuration.serverName = nil                    // no `Server` field ("swift-aiohttp")
// snippet.tls
configuration.tls = try .files(
    certificateChain: "/etc/notes/tls/fullchain.pem",
    privateKey: "/etc/notes/tls/privkey.pem",
    minimumVersion: .tls1_2
)
// snippet.proxy
// Only the balancers may connect, and each connection starts with their PROXY header.
configuration.proxyProtocol = ProxyProtocolConfiguration(trustedNetworks: [try NetworkRange("10.0.0.0/8")])
// snippet.observability
configuration.accessLog = .withTiming  // to the "aio.access" logger, at info
let logger = Logger(label: "notes")
// A span per request for the tracer bootstrapped in InstrumentationSystem (none: no spans).
let app = Application(middlewares: [.tracing()], clientMaxSize: 4 << 20, logger: logger)
app.router.get("/health") { _ in .text("ok") }
// snippet.lifecycle
/// Another service of the process: a job every minute, until the group shuts it down.
struct Sweeper: Service {
    let logger: Logger

    func run() async throws {
        while true {
            self.logger.debug("sweeping expired sessions")
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
        }
    }
}

try app.onShutdown.append { _ in logger.info("draining") }
try app.onCleanup.append { _ in logger.info("stopped") }
let server = HTTPServer(responder: try ApplicationResponder(app), configuration: configuration, logger: logger)
// Stopped in reverse order: the application first, the sweeper once it has returned.
let group = ServiceGroup(
    services: [Sweeper(logger: logger), ApplicationService(application: app, server: server)],
    gracefulShutdownSignals: [.sigterm, .sigint],
    logger: logger
)
try await group.run()
// snippet.end
