import HTTPTypes
import NIOCore
import Synchronization

/// Hooks into what a session does, as aiohttp's `TraceConfig` and its sixteen signals: requests
/// starting, sending, redirected, ending or failing; bodies going out and coming in; the pool
/// queueing, opening and reusing connections; host names resolved or found in the cache. Give
/// sessions as many as needed (`ClientSession(traceConfigs:)`); hooks run in the order added,
/// awaited where the event happens, so a slow hook slows the request.
///
/// ```swift
/// var trace = TraceConfig()
/// trace.onRequestStart.append { context, params in context["started"] = ContinuousClock.now }
/// trace.onRequestEnd.append { context, params in
///     if let started = context["started"] as? ContinuousClock.Instant {
///         print(params.method, params.url, params.response.status, ContinuousClock.now - started)
///     }
/// }
/// let session = try ClientSession(traceConfigs: [trace])
/// ```
public struct TraceConfig: Sendable {
    /// A hook: the request's context for this configuration, and what happened.
    public typealias Hook<Params> = @Sendable (TraceRequestContext, Params) async -> Void

    /// A request (each redirect hop too) is about to be sent (`on_request_start`).
    public var onRequestStart: [Hook<TraceRequestParams>] = []
    /// The request's head was handed to its connection (`on_request_headers_sent`).
    public var onRequestHeadersSent: [Hook<TraceRequestParams>] = []
    /// A piece of the request body was handed to the connection (`on_request_chunk_sent`).
    public var onRequestChunkSent: [Hook<TraceChunkParams>] = []
    /// A piece of the response body was read, after decoding (`on_response_chunk_received`).
    public var onResponseChunkReceived: [Hook<TraceChunkParams>] = []
    /// A redirect is about to be followed (`on_request_redirect`).
    public var onRequestRedirect: [Hook<TraceResponseParams>] = []
    /// The final response's head arrived (`on_request_end`); its body may still be coming.
    public var onRequestEnd: [Hook<TraceResponseParams>] = []
    /// The request failed (`on_request_exception`).
    public var onRequestException: [Hook<TraceErrorParams>] = []
    /// The request waits for a connection: the pool is at its limit (`on_connection_queued_start`).
    public var onConnectionQueuedStart: [Hook<TraceConnectionParams>] = []
    /// The wait for a connection ended (`on_connection_queued_end`).
    public var onConnectionQueuedEnd: [Hook<TraceConnectionParams>] = []
    /// A new connection is being opened (`on_connection_create_start`).
    public var onConnectionCreateStart: [Hook<TraceConnectionParams>] = []
    /// A new connection is open, TLS and tunnel included (`on_connection_create_end`).
    public var onConnectionCreateEnd: [Hook<TraceConnectionParams>] = []
    /// An idle keep-alive connection is reused (`on_connection_reuseconn`).
    public var onConnectionReuseconn: [Hook<TraceConnectionParams>] = []
    /// A host name is being resolved (`on_dns_resolvehost_start`).
    public var onDnsResolvehostStart: [Hook<TraceDNSParams>] = []
    /// A host name was resolved (`on_dns_resolvehost_end`).
    public var onDnsResolvehostEnd: [Hook<TraceDNSParams>] = []
    /// A host name's addresses came from the session's DNS cache (`on_dns_cache_hit`).
    public var onDnsCacheHit: [Hook<TraceDNSParams>] = []
    /// A host name was not in the DNS cache, or had expired there (`on_dns_cache_miss`).
    public var onDnsCacheMiss: [Hook<TraceDNSParams>] = []

    /// A configuration without hooks; add them to its lists.
    public init() {}
}

/// What a configuration's hooks share about one request, as aiohttp's `trace_config_ctx`: a
/// place to keep values between hooks (a start time, a span), and what the caller passed as
/// `traceRequestContext` to the request.
public final class TraceRequestContext: Sendable {
    /// What the caller gave the request as `traceRequestContext` (aiohttp's `trace_request_ctx`).
    public let traceRequestContext: (any Sendable)?
    private let values = Mutex<[String: any Sendable]>([:])

    init(_ traceRequestContext: (any Sendable)?) {
        self.traceRequestContext = traceRequestContext
    }

    /// A value kept by a hook under `key`.
    public subscript(key: String) -> (any Sendable)? {
        get { self.values.withLock { $0[key] } }
        set { self.values.withLock { $0[key] = newValue } }
    }
}

/// A request about to go, or whose head went.
public struct TraceRequestParams: Sendable {
    /// The method.
    public let method: HTTPRequest.Method
    /// The URL, without its fragment.
    public let url: String
    /// The fields the caller and the middlewares gave (with the jar's cookies).
    public let headers: HTTPFields
}

/// A piece of a body, sent or received.
public struct TraceChunkParams: Sendable {
    /// The method.
    public let method: HTTPRequest.Method
    /// The URL.
    public let url: String
    /// The bytes.
    public let chunk: ByteBuffer
}

/// A response: a redirect about to be followed, or the final one.
public struct TraceResponseParams: Sendable {
    /// The method of the request answered.
    public let method: HTTPRequest.Method
    /// The URL answered.
    public let url: String
    /// The request's fields.
    public let headers: HTTPFields
    /// The response.
    public let response: ClientResponse
}

/// A request that failed.
public struct TraceErrorParams: Sendable {
    /// The method.
    public let method: HTTPRequest.Method
    /// The URL of the hop that failed.
    public let url: String
    /// The request's fields.
    public let headers: HTTPFields
    /// Why it failed.
    public let error: any Error
}

/// A connection of the pool: where it goes.
public struct TraceConnectionParams: Sendable {
    /// The host of the URL (not the proxy's).
    public let host: String
    /// The port.
    public let port: Int
}

/// A host name being resolved.
public struct TraceDNSParams: Sendable {
    /// The name.
    public let host: String
    /// The port the addresses are for.
    public let port: Int
    /// The addresses found (empty before resolving, and on a miss).
    public let addresses: [SocketAddress]
}

/// One request's hooks: each configuration with its context. Made only when a session has
/// configurations, so requests without tracing pay nothing.
struct RequestTrace: Sendable {
    private let configs: [(TraceConfig, TraceRequestContext)]

    init?(_ configs: [TraceConfig], context: (any Sendable)?) {
        guard !configs.isEmpty else { return nil }
        self.configs = configs.map { ($0, TraceRequestContext(context)) }
    }

    /// Runs the hooks `hooks` picks from each configuration with `params`.
    func send<Params: Sendable>(_ hooks: (TraceConfig) -> [TraceConfig.Hook<Params>], _ params: Params) async {
        for (config, context) in self.configs {
            for hook in hooks(config) { await hook(context, params) }
        }
    }
}
