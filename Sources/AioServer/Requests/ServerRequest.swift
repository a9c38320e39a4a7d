import AioWire
import HTTPTypes

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

        init(head: HTTPRequestHead, method: HTTPRequest.Method, body: RequestBody, connection: ConnectionInfo) {
            self.head = head
            self.method = method
            self.body = body
            self.connection = connection
        }
    }

    @usableFromInline
    var storage: Storage

    /// A request from its parts, as servers and in-process tests make them.
    public init(head: HTTPRequestHead, body: RequestBody = .empty, connection: ConnectionInfo = .init()) {
        self.init(head: head, method: head.request.method, body: body, connection: connection)
    }

    /// A request whose head's method the server has read already.
    init(head: HTTPRequestHead, method: HTTPRequest.Method, body: RequestBody, connection: ConnectionInfo) {
        self.storage = Storage(head: head, method: method, body: body, connection: connection)
    }

    /// Method, target, header fields, version and framing.
    public var head: HTTPRequestHead {
        @inlinable get { self.storage.head }
        set { self = ServerRequest(head: newValue, body: self.body, connection: self.connection) }
    }

    /// The request's method (the head's).
    public var method: HTTPRequest.Method {
        @inlinable get { self.storage.method }
    }

    /// The body, read as it arrives.
    public var body: RequestBody {
        @inlinable get { self.storage.body }
        set { self = ServerRequest(head: self.head, method: self.method, body: newValue, connection: self.connection) }
    }

    /// The connection.
    public var connection: ConnectionInfo {
        @inlinable get { self.storage.connection }
        set { self = ServerRequest(head: self.head, method: self.method, body: self.body, connection: newValue) }
    }

    /// The swift-http-types request.
    @inlinable
    public var request: HTTPRequest { self.storage.head.request }
}
