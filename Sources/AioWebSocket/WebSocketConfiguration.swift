/// The limits and automatic behaviours of a ``WebSocket``, with aiohttp's defaults.
public struct WebSocketConfiguration: Sendable {
    /// The largest message taken, in bytes, across its fragments; larger ones close the
    /// connection with 1009. aiohttp's default: 4 MiB.
    public var maxMessageSize: Int
    /// Whether pings are answered automatically (and not handed to the receiver).
    public var autoPing: Bool
    /// How long ``WebSocket/close(code:message:)`` waits for the peer's close frame.
    public var closeTimeout: Duration
    /// Sends a ping after this long without a frame from the peer, and drops the connection
    /// (1006) when no frame, the pong included, comes back within half of it, as aiohttp's
    /// `heartbeat`. Frames are only seen while a task is receiving. Nil: no heartbeat.
    public var heartbeat: Duration?
    /// How long ``WebSocket/receive()`` waits for bytes from the peer before it throws
    /// ``/AioStreams/TimeoutError`` and drops the connection (1006), as aiohttp's
    /// `receive_timeout`. Nil: no limit.
    public var receiveTimeout: Duration?

    /// A configuration; every argument has aiohttp's default.
    public init(
        maxMessageSize: Int = 4 << 20,
        autoPing: Bool = true,
        closeTimeout: Duration = .seconds(10),
        heartbeat: Duration? = nil,
        receiveTimeout: Duration? = nil
    ) {
        self.maxMessageSize = maxMessageSize
        self.autoPing = autoPing
        self.closeTimeout = closeTimeout
        self.heartbeat = heartbeat
        self.receiveTimeout = receiveTimeout
    }
}
