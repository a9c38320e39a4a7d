/// What a ``WSMessage`` is, as aiohttp's `WSMsgType`: the frame kinds a message can come from,
/// and the states a receiver reports when the connection ends.
public enum WSMsgType: Sendable, Hashable {
    /// A continuation frame; reported only by frame-level tools, never as a message.
    case continuation
    /// A text message, valid UTF-8.
    case text
    /// A binary message.
    case binary
    /// A ping; answered with a pong automatically unless the receiver asked to see pings.
    case ping
    /// A pong.
    case pong
    /// The peer's close frame: ``WSMessage/closeCode`` and ``WSMessage/extra`` (the reason).
    case close
    /// The local side has started closing; what the peer still sends is being drained.
    case closing
    /// The connection is closed; receiving again gives this again.
    case closed
    /// The connection failed; ``WSMessage/extra`` says why.
    case error
}
