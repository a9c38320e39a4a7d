import AioWire
import HTTPTypes
import NIOCore

/// A request as the server hands it to a ``HTTPResponder``: the parsed head, the body as a
/// stream, and the connection it came on.
///
/// The parts live in one shared box: a request is handed on and copied a few times on its way
/// to a handler, and a copy of the parts themselves costs a dozen reference counts.
public struct ServerRequest: Sendable {
    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let head: HTTPRequestHead
        /// The head's method, read once: `HTTPRequest` makes it anew from its field each time.
        @usableFromInline let method: HTTPRequest.Method
        @usableFromInline let body: RequestBody
        @usableFromInline let connection: ConnectionInfo
        @usableFromInline let forwarded: ForwardedHeaders.Client?

        init(head: HTTPRequestHead, method: HTTPRequest.Method, body: RequestBody, connection: ConnectionInfo, forwarded: ForwardedHeaders.Client?) {
            self.head = head
            self.method = method
            self.body = body
            self.connection = connection
            self.forwarded = forwarded
        }
    }

    @usableFromInline
    var storage: Storage

    /// A request from its parts, as servers and in-process tests make them.
    public init(
        head: HTTPRequestHead,
        body: RequestBody = .empty,
        connection: ConnectionInfo = .init(),
        forwarded: ForwardedHeaders.Client? = nil
    ) {
        self.init(head: head, method: head.request.method, body: body, connection: connection, forwarded: forwarded)
    }

    /// A request whose head's method the server has read already.
    init(head: HTTPRequestHead, method: HTTPRequest.Method, body: RequestBody, connection: ConnectionInfo, forwarded: ForwardedHeaders.Client?) {
        self.storage = Storage(head: head, method: method, body: body, connection: connection, forwarded: forwarded)
    }

    /// Method, target, header fields, version and framing.
    public var head: HTTPRequestHead {
        @inlinable get { self.storage.head }
        set { self = ServerRequest(head: newValue, body: self.body, connection: self.connection, forwarded: self.forwarded) }
    }

    /// The request's method (the head's).
    public var method: HTTPRequest.Method {
        @inlinable get { self.storage.method }
    }

    /// The body, read as it arrives.
    public var body: RequestBody {
        @inlinable get { self.storage.body }
        set { self = ServerRequest(head: self.head, method: self.method, body: newValue, connection: self.connection, forwarded: self.forwarded) }
    }

    /// The connection.
    public var connection: ConnectionInfo {
        @inlinable get { self.storage.connection }
        set { self = ServerRequest(head: self.head, method: self.method, body: self.body, connection: newValue, forwarded: self.forwarded) }
    }

    /// What the trusted proxies in front said about the client (``ServerConfiguration/forwarded``):
    /// nil when none is configured, the peer is not one, or it said nothing.
    public var forwarded: ForwardedHeaders.Client? {
        @inlinable get { self.storage.forwarded }
    }

    /// The client's address: the one trusted proxies relayed (nil when they said `unknown`),
    /// else the connection's peer (on a PROXY protocol listener, the balancer's client).
    public var remoteAddress: SocketAddress? {
        if let forwarded = self.storage.forwarded { return forwarded.address }
        return self.storage.connection.remoteAddress
    }

    /// `http` or `https` as the client asked: as a trusted proxy received it, else the
    /// target's scheme (absolute form) or the connection's.
    public var scheme: String {
        self.storage.forwarded?.scheme ?? self.storage.head.request.scheme ?? (self.storage.connection.isSecure ? "https" : "http")
    }

    /// The host the client asked for: as a trusted proxy received it, else `Host` (or the
    /// authority of an absolute-form target).
    public var host: String? {
        self.storage.forwarded?.host ?? self.storage.head.request.authority
    }

    /// The swift-http-types request.
    @inlinable
    public var request: HTTPRequest { self.storage.head.request }
}
