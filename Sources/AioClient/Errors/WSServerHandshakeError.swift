import HTTPTypes

/// The server did not accept the WebSocket handshake, as aiohttp's `WSServerHandshakeError`:
/// another status than 101, or a 101 whose fields do not complete the handshake.
public struct WSServerHandshakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status the server answered with.
    public let status: HTTPResponse.Status
    /// What was wrong.
    public let message: String
    /// The header fields of the server's answer.
    public let headers: HTTPFields

    /// An error for an answer with `status` and `headers`.
    public init(status: HTTPResponse.Status, message: String, headers: HTTPFields) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "WebSocket handshake failed (\(self.status.code)): \(self.message)" }
}
