import HTTPTypes

/// The stream ended in the middle of a message (400).
///
/// A server usually just closes the connection, since the peer has gone; a client reports that
/// the response was cut short.
public struct IncompleteMessage: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .badRequest }
    public var message: String { "Connection closed before the message was complete" }
    public let offset: Int?

    /// An error for a stream that ended at `offset`.
    public init(offset: Int?) {
        self.offset = offset
    }
}
