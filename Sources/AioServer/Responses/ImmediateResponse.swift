import HTTPTypes
import NIOCore

/// What a responder answers without suspending (see ``HTTPResponder/respondImmediately(to:)``).
public enum ImmediateResponse: Sendable {
    /// The whole response, written at once.
    case whole(HTTPResponse, body: ByteBuffer)
    /// The whole response with `body` in UTF-8, written at once: a small text goes straight
    /// into the buffer of the head, with no buffer of its own.
    case text(HTTPResponse, body: String)
    /// The answer is begun but needs to suspend to finish (a streamed body): the server runs
    /// the rest on the connection's request loop, in order, as it runs ``HTTPResponder/respond(to:writer:)``.
    case later(@Sendable (consuming ResponseWriter) async throws -> Void)
}
