import CoreMetrics
import NIOCore
import NIOPosix
import NIOSSL

/// How a session makes and keeps connections, as aiohttp's `TCPConnector`: the pool's limits,
/// how long an idle connection is kept, TLS, and where host names lead.
///
/// ```swift
/// let session = ClientSession(connector: ClientConnector(limit: 20, limitPerHost: 4))
/// ```
public struct ClientConnector: Sendable {
    /// The most connections open at once, over every host (aiohttp's `limit`, 100); 0 for no
    /// limit.
    public var limit: Int
    /// The most connections open at once to one host, port and scheme; 0 for no limit.
    public var limitPerHost: Int
    /// How long an unused keep-alive connection stays in the pool, in seconds.
    public var keepAliveTimeout: Double
    /// TLS for `https://`: the system's trust roots and full verification by default.
    public var tls: TLSConfiguration
    /// Host names answered without the resolver, as curl's `--resolve`: `"example.com:443"` (or
    /// `"example.com"` for every port) to an address. Names match case-insensitively, a trailing
    /// dot ignored.
    public var resolve: [String: String]
    /// The event loops connections run on.
    public var eventLoopGroup: any EventLoopGroup
    /// The name `https://` connections send in SNI and verify the certificate against, instead
    /// of the URL's host (aiohttp's `server_hostname`): for a server reached by address or
    /// through a `resolve` entry under another name.
    public var serverHostname: String?
    /// The SHA-256 of the server certificate's DER bytes that `https://` connections must
    /// present (aiohttp's `Fingerprint`): ``FingerprintMismatch`` otherwise. A pin replaces the
    /// trust roots' verification, so a self-signed certificate can be pinned.
    public var pinnedFingerprint: [UInt8]?
    /// How many bytes of a response body are buffered before reading from the socket pauses
    /// until the reader catches up (aiohttp's `read_bufsize`, 64 KiB).
    public var readBufferSize: Int
    /// What turns host names into addresses (the system's, on a thread pool, by default).
    public var resolver: any HostResolver
    /// Whether resolved names are kept (aiohttp's `use_dns_cache`).
    public var useDNSCache: Bool
    /// How long a resolved name is kept, in seconds (10, as aiohttp); nil keeps it for the
    /// session's life.
    public var ttlDNSCache: Double?
    /// The local address connections are made from (aiohttp's `local_addr`); nil lets the
    /// system choose.
    public var localAddress: SocketAddress?
    /// A Unix domain socket every connection goes to instead of the URL's host and port, as
    /// aiohttp's `UnixConnector` (the URL still names the host sent in `Host`).
    public var unixSocketPath: String?
    /// Where the session reports its pool (connections open and idle, requests waiting) and
    /// its requests' durations; nil reports nothing. `MetricsSystem.factory` for the
    /// bootstrapped backend (swift-prometheus…).
    public var metricsFactory: (any MetricsFactory)?

    /// A connector with aiohttp's defaults unless told otherwise.
    public init(
        limit: Int = 100,
        limitPerHost: Int = 0,
        keepAliveTimeout: Double = 15,
        tls: TLSConfiguration = .makeClientConfiguration(),
        resolve: [String: String] = [:],
        pinnedFingerprint: [UInt8]? = nil,
        serverHostname: String? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        readBufferSize: Int = 1 << 16,
        resolver: any HostResolver = ThreadedResolver(),
        useDNSCache: Bool = true,
        ttlDNSCache: Double? = 10,
        localAddress: SocketAddress? = nil,
        unixSocketPath: String? = nil,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.limit = limit
        self.limitPerHost = limitPerHost
        self.keepAliveTimeout = keepAliveTimeout
        self.tls = tls
        self.resolve = resolve
        self.pinnedFingerprint = pinnedFingerprint
        self.serverHostname = serverHostname
        self.eventLoopGroup = eventLoopGroup
        self.readBufferSize = readBufferSize
        self.resolver = resolver
        self.useDNSCache = useDNSCache
        self.ttlDNSCache = ttlDNSCache
        self.localAddress = localAddress
        self.unixSocketPath = unixSocketPath
        self.metricsFactory = metricsFactory
    }

    /// The address to connect to for `host`:`port`: a `resolve` entry, else the name itself.
    func address(for host: String, port: Int) -> String {
        guard !self.resolve.isEmpty else { return host }
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        for (key, address) in self.resolve {
            var entry = key.lowercased()
            var entryPort: Int?
            if let colon = entry.lastIndex(of: ":"), !entry.hasSuffix("]"), let value = Int(entry[entry.index(after: colon)...]) {
                entryPort = value
                entry = String(entry[..<colon])
            }
            if entry.hasSuffix(".") { entry.removeLast() }
            if entry == name, entryPort == nil || entryPort == port { return address }
        }
        return host
    }
}
