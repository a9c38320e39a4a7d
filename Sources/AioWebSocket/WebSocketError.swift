/// The peer broke the WebSocket protocol, or sent what this endpoint will not take: the
/// connection is closed with ``closeCode``, whose close frame carries ``reason``.
public struct WebSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code to close with: 1002, 1007 or 1009 for what the codec finds.
    public let closeCode: WSCloseCode
    /// A short explanation, sent as the close reason (at most 123 bytes).
    public let reason: String

    /// An error closing with `closeCode` and `reason`.
    public init(_ closeCode: WSCloseCode, _ reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    public var description: String { "WebSocket error \(self.closeCode): \(self.reason)" }

    static func protocolError(_ reason: String) -> WebSocketError {
        WebSocketError(.protocolError, reason)
    }
}
