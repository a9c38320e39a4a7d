/// The opcode of a WebSocket frame (RFC 6455 §5.2).
public enum WSOpcode: UInt8, Sendable, Hashable {
    /// A later fragment of a text or binary message.
    case continuation = 0x0
    /// The first (or only) frame of a text message.
    case text = 0x1
    /// The first (or only) frame of a binary message.
    case binary = 0x2
    /// Starts or answers the closing handshake.
    case close = 0x8
    /// Asks the peer for a pong.
    case ping = 0x9
    /// Answers a ping, or a one-way heartbeat.
    case pong = 0xA

    /// Whether frames of this kind are control frames: short, never fragmented, and allowed
    /// between the fragments of a message (RFC 6455 §5.5).
    public var isControl: Bool { self.rawValue & 0x8 != 0 }
}
