/// Limits and policies of ``HTTPRequestParser`` and ``HTTPResponseParser``.
///
/// Every limit is checked as bytes arrive: exceeding one raises ``LineTooLong`` (or a 431
/// ``BadHTTPMessage`` for the field count) before more than the limit is buffered.
public struct HTTPParserConfiguration: Sendable, Hashable {
    /// Longest request line or status line, without CRLF (414 for requests).
    public var maxStartLineLength: Int
    /// Longest single header or trailer field line, without CRLF (431).
    public var maxFieldLineLength: Int
    /// Longest head: start line, field lines and their line endings (431). Also bounds a
    /// trailer section.
    public var maxHeadLength: Int
    /// Most field lines in a head or trailer section (431).
    public var maxFieldCount: Int
    /// Longest chunk-size line, chunk extensions included, without CRLF (400).
    public var maxChunkLineLength: Int
    /// Whether an HTTP/1.1 request must carry exactly one `Host` (RFC 9112 §3.2). Servers keep
    /// this on; turn it off only to read captured traffic that lacks it.
    public var requireHost: Bool
    /// Which request methods are accepted.
    public var methods: MethodPolicy
    /// The scheme recorded in ``HTTPRequestHead/request`` for origin-form targets: "http" on a
    /// plain connection, "https" behind TLS.
    public var scheme: String

    /// Which request methods a parser accepts.
    public enum MethodPolicy: Sendable, Hashable {
        /// Methods of the IANA HTTP Method Registry plus widely deployed extensions (`PURGE`,
        /// `M-SEARCH`, `NOTIFY`, `SUBSCRIBE`, `UNSUBSCRIBE`, `SOURCE`); any other token is
        /// answered with 501 Not Implemented as RFC 9110 §9.1 advises.
        case registered
        /// Any token.
        case anyToken
    }

    /// The defaults: 8 KiB lines, a 64 KiB head, 100 fields, 4 KiB chunk lines, `Host` required,
    /// registered methods only, scheme "http".
    public init(
        maxStartLineLength: Int = 8192,
        maxFieldLineLength: Int = 8192,
        maxHeadLength: Int = 65536,
        maxFieldCount: Int = 100,
        maxChunkLineLength: Int = 4096,
        requireHost: Bool = true,
        methods: MethodPolicy = .registered,
        scheme: String = "http"
    ) {
        self.maxStartLineLength = maxStartLineLength
        self.maxFieldLineLength = maxFieldLineLength
        self.maxHeadLength = maxHeadLength
        self.maxFieldCount = maxFieldCount
        self.maxChunkLineLength = maxChunkLineLength
        self.requireHost = requireHost
        self.methods = methods
        self.scheme = scheme
    }
}
