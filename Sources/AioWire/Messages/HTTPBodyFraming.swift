/// How the body of a message is delimited on the wire (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Hashable {
    /// The message has no content: a request without `Content-Length` or `Transfer-Encoding`, or
    /// a response to HEAD, a 1xx, 204 or 304.
    case empty
    /// Exactly this many bytes follow the head.
    case contentLength(Int)
    /// Chunked transfer coding: the body ends with the last chunk and trailer section.
    case chunked
    /// A response body that ends when the connection closes.
    case untilClose
}
