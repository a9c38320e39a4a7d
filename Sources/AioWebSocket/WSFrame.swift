import NIOCore

/// One WebSocket frame (RFC 6455 §5.2), its payload unmasked.
public struct WSFrame: Sendable {
    /// Whether this is the last frame of its message.
    public var fin: Bool
    /// RSV1: a compressed message's first frame under permessage-deflate (RFC 7692).
    public var rsv1: Bool
    /// RSV2, meaningful to no extension here.
    public var rsv2: Bool
    /// RSV3, meaningful to no extension here.
    public var rsv3: Bool
    /// The frame's opcode.
    public var opcode: WSOpcode
    /// The payload, unmasked.
    public var payload: ByteBuffer

    /// A frame of `opcode` with `payload`.
    public init(fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false, opcode: WSOpcode, payload: ByteBuffer = ByteBuffer()) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.payload = payload
    }
}
