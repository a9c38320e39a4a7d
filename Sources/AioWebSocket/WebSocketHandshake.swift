#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

/// The key and accept values of the opening handshake (RFC 6455 §4), shared by the server's
/// `WebSocketResponse` and the client.
public enum WebSocketHandshake {
    /// The GUID RFC 6455 appends to the key.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept` for `key`: base64 of the SHA-1 of the key and the GUID.
    public static func acceptValue(forKey key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((key + Self.guid).utf8))
        return Data(digest).base64EncodedString()
    }

    /// Whether `key` is what a client must send: base64 of 16 bytes.
    public static func isValidKey(_ key: String) -> Bool {
        key.utf8.count == 24 && Data(base64Encoded: key)?.count == 16
    }

    /// A fresh `Sec-WebSocket-Key`: base64 of 16 random bytes.
    public static func makeKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
    }
}
