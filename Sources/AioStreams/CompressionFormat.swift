/// How a deflate stream is wrapped: the three formats HTTP, multipart and WebSocket use.
public enum CompressionFormat: Sendable, Hashable {
    /// gzip (RFC 1952): `Content-Encoding: gzip`. Several members in a row inflate as one body.
    case gzip
    /// zlib (RFC 1950): what HTTP's `Content-Encoding: deflate` means (RFC 9110 §8.4.1.2).
    case zlib
    /// Raw deflate (RFC 1951) with a window of `2^windowBits` bytes (9–15): permessage-deflate
    /// (RFC 7692), and the `deflate` aiohttp writes in multipart bodies.
    case rawDeflate(windowBits: Int = 15)

    /// zlib's `windowBits` for the format.
    var zlibWindowBits: Int32 {
        switch self {
        case .gzip: 15 + 16
        case .zlib: 15
        // zlib has no raw 256-byte window; permessage-deflate's negotiation never agrees to one.
        case .rawDeflate(let bits): -Int32(Swift.min(Swift.max(bits, 9), 15))
        }
    }
}
