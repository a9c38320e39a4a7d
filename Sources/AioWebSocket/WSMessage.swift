#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// A message received on a WebSocket, as aiohttp's `WSMessage`.
///
/// ``data`` holds the payload: the UTF-8 bytes of a text message (``text`` decodes them), the
/// bytes of a binary message, ping or pong. A close message carries ``closeCode`` and the
/// reason in ``extra``; an error message the error's description in ``extra``.
public struct WSMessage: Sendable {
    /// The kind of message.
    public let type: WSMsgType
    /// The payload.
    public let data: ByteBuffer
    /// The close reason of a close message, the description of an error.
    public let extra: String?
    /// The status code of a close message.
    public let closeCode: WSCloseCode?

    /// A message of `type` with `data`.
    public init(type: WSMsgType, data: ByteBuffer = ByteBuffer(), extra: String? = nil, closeCode: WSCloseCode? = nil) {
        self.type = type
        self.data = data
        self.extra = extra
        self.closeCode = closeCode
    }

    /// The text of a text message; nil for other kinds.
    public var text: String? {
        guard self.type == .text else { return nil }
        return String(buffer: self.data)
    }

    /// The payload of a text or binary message decoded as JSON of type `type`.
    public func json<Value: Decodable>(as type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(self.data.readableBytesView))
    }
}
