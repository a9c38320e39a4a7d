import AioStreams

/// How a request body is compressed on the way out (aiohttp's `compress=`), named as
/// `Content-Encoding` names it. The server must accept the coding: most do not decode request
/// bodies unless told to (aio serve does).
public enum RequestCompression: String, Sendable, Hashable {
    /// gzip (RFC 1952).
    case gzip
    /// HTTP's `deflate`: zlib-wrapped (RFC 1950), as RFC 9110 §8.4.1.2 says.
    case deflate

    var format: CompressionFormat {
        switch self {
        case .gzip: .gzip
        case .deflate: .zlib
        }
    }
}
