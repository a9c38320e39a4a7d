/// How a part's bytes are compressed: `Content-Encoding`.
public enum ContentEncoding: String, Sendable, Hashable {
    /// gzip (RFC 1952).
    case gzip
    /// Raw deflate, as aiohttp writes it in multipart bodies.
    case deflate
}
