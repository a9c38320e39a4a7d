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
        @usableFromInline let body: RequestBody
        @usableFromInline let connection: ConnectionInfo

        init(head: HTTPRequestHead, body: RequestBody, connection: ConnectionInfo) {
            self.head = head
            self.body = body
            self.connection = connection
        }
    }

    @usableFromInline
    var storage: Storage

    /// A request from its parts, as servers and in-process tests make them.
    public init(head: HTTPRequestHead, body: RequestBody = .empty, connection: ConnectionInfo = .init()) {
        self.storage = Storage(head: head, body: body, connection: connection)
    }

    /// Method, target, header fields, version and framing.
    public var head: HTTPRequestHead {
        @inlinable get { self.storage.head }
        set { self.storage = Storage(head: newValue, body: self.body, connection: self.connection) }
    }

    /// The body, read as it arrives.
    public var body: RequestBody {
        @inlinable get { self.storage.body }
        set { self.storage = Storage(head: self.head, body: newValue, connection: self.connection) }
    }

    /// The connection.
    public var connection: ConnectionInfo {
        @inlinable get { self.storage.connection }
        set { self.storage = Storage(head: self.head, body: self.body, connection: newValue) }
    }

    /// The swift-http-types request.
    @inlinable
    public var request: HTTPRequest { self.storage.head.request }
}
