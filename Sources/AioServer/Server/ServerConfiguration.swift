import CoreMetrics
import AioWire
import NIOCore

/// How an ``HTTPServer`` listens and treats its connections.
///
/// Every limit and timeout has a default in the spirit of aiohttp's; change what you need:
///
/// ```swift
/// var configuration = ServerConfiguration(address: .hostname("0.0.0.0", port: 8080))
/// configuration.idleTimeout = .seconds(30)
/// configuration.maxRequestBodySize = 10 << 20
/// ```
public struct ServerConfiguration: Sendable {
    /// Where to listen.
    public var address: BindAddress
    /// Limits and policies of the request parser (line and head sizes, `Host`, methods).
    public var parser: HTTPParserConfiguration
    /// Largest request body a server accepts before answering 413, or nil for no limit. A
    /// `Content-Length` over the limit is refused before the body is read.
    public var maxRequestBodySize: Int?
    /// Pipelined requests parsed ahead of the one being answered; reading stops beyond this.
    public var maxPipelinedRequests: Int
    /// The longest a client may take to send a whole request head (against slowloris).
    public var headReadTimeout: Duration?
    /// How long an idle keep-alive connection stays open (aiohttp's `keepalive_timeout`).
    public var idleTimeout: Duration?
    /// How long a handler reading the body may wait for the next bytes before the request fails.
    public var bodyReadTimeout: Duration?
    /// How long a response write may stay blocked by a client that does not read.
    public var writeTimeout: Duration?
    /// How long graceful shutdown lets requests in flight finish before closing them.
    public var shutdownGracePeriod: Duration
    /// During a graceful shutdown, how long an idle keep-alive connection stays open for a
    /// request its client may have sent already (answered, with `Connection: close`): a client
    /// between two requests is not cut off. Zero closes idle connections at once.
    public var drainIdleTimeout: Duration
    /// The `Server` field of every response; nil sends none.
    public var serverName: String?
    /// Event loops (threads) serving connections; defaults to one per core.
    public var eventLoopCount: Int
    /// Whether handlers run on their connection's event loop (the default: no thread hop per
    /// request) rather than on Swift's shared thread pool. Handlers that block the thread for
    /// long stall their loop's other connections either way; with this off they stall the pool.
    public var runsHandlersOnEventLoop: Bool
    /// The length of the queue of connections waiting to be accepted (256; the kernel caps it at
    /// `net.core.somaxconn`). It applies to a socket handed over (``BindAddress/socket(_:)``)
    /// too: for one from systemd, set it to the unit's `Backlog=`.
    public var backlog: Int
    /// TLS, when set.
    public var tls: ServerTLS?
    /// Whether an error's description reaches the client in a 500 (never in production).
    public var debug: Bool
    /// The access log line format, or nil for no access log (the default). Lines go to the
    /// `aio.access` logger at info level.
    public var accessLog: AccessLogFormat?
    /// Where the server's metrics go; nil (the default) for swift-metrics' bootstrapped
    /// `MetricsSystem.factory`. A factory of its own lets one process keep servers apart.
    public var metricsFactory: (any MetricsFactory)?
    /// HAProxy's PROXY protocol in front of every connection, from trusted balancers only; nil
    /// (the default) reads HTTP straight away.
    public var proxyProtocol: ProxyProtocolConfiguration?
    /// Whose `Forwarded` or `X-Forwarded-*` fields are believed: requests from these proxies
    /// report the client they relay (``ServerRequest/remoteAddress``, ``ServerRequest/scheme``,
    /// ``ServerRequest/host``, the access log); nil (the default) believes no one.
    public var forwarded: ForwardedHeaders?

    /// A configuration listening on `address` with the defaults: 8 KiB lines and 64 KiB heads,
    /// bodies unlimited for streaming, 16 pipelined requests, a 30 s head timeout, 75 s idle
    /// timeout, 60 s body and write timeouts, 10 s of grace at shutdown (1 s for idle connections).
    public init(address: BindAddress = .hostname()) {
        self.address = address
        self.parser = HTTPParserConfiguration()
        self.maxRequestBodySize = nil
        self.maxPipelinedRequests = 16
        self.headReadTimeout = .seconds(30)
        self.idleTimeout = .seconds(75)
        self.bodyReadTimeout = .seconds(60)
        self.writeTimeout = .seconds(60)
        self.shutdownGracePeriod = .seconds(10)
        self.drainIdleTimeout = .seconds(1)
        self.serverName = "swift-aiohttp"
        self.eventLoopCount = System.coreCount
        self.runsHandlersOnEventLoop = true
        self.backlog = 256
        self.tls = nil
        self.debug = false
        self.accessLog = nil
    }
}
