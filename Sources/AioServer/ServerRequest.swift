import AioWire
import HTTPTypes

/// A request as the server hands it to a ``HTTPResponder``: the parsed head, the body as a
/// stream, and the connection it came on.
public struct ServerRequest: Sendable {
    /// Method, target, header fields, version and framing.
    public var head: HTTPRequestHead
    /// The body, read as it arrives.
    public var body: RequestBody
    /// The connection.
    public var connection: ConnectionInfo

    /// A request from its parts, as servers and in-process tests make them.
    public init(head: HTTPRequestHead, body: RequestBody = .empty, connection: ConnectionInfo = .init()) {
        self.head = head
        self.body = body
        self.connection = connection
    }

    /// The swift-http-types request.
    public var request: HTTPRequest { self.head.request }
}
