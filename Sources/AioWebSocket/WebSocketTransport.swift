import NIOCore

/// Where a ``WebSocket`` writes its frames: the upgraded server connection, or a client's.
public protocol WebSocketTransport: Sendable {
    /// Writes `bytes`, returning once the transport can take more (back-pressure).
    func write(_ bytes: ByteBuffer) async throws
    /// Closes the transport after what was written; closing twice does nothing.
    func close() async
}
