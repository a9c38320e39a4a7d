import HTTPTypes

/// The head of a parsed response: the response as swift-http-types' `HTTPResponse` plus what
/// HTTP/1.1 adds.
public struct HTTPResponseHead: Sendable, Hashable {
    /// Status, reason phrase and header fields.
    public var response: HTTPResponse
    /// HTTP/1.0 or HTTP/1.1.
    public var version: HTTPVersion
    /// How the body is delimited; depends on the request method as well as on the fields.
    public var framing: HTTPBodyFraming
    /// Whether the connection can carry another request after this response.
    public var keepAlive: Bool
    /// Whether the connection now carries another protocol: a 101 response, or a 2xx answer to
    /// `CONNECT`. The parser stops after it; the rest of the bytes belong to the new protocol.
    public var isUpgrade: Bool
    /// Transfer codings other than a final chunked, in the order listed.
    public var transferCodings: [String]

    /// A head from its parts.
    public init(
        response: HTTPResponse,
        version: HTTPVersion = .http1_1,
        framing: HTTPBodyFraming = .empty,
        keepAlive: Bool = true,
        isUpgrade: Bool = false,
        transferCodings: [String] = []
    ) {
        self.response = response
        self.version = version
        self.framing = framing
        self.keepAlive = keepAlive
        self.isUpgrade = isUpgrade
        self.transferCodings = transferCodings
    }

    /// Whether this is an interim (1xx) response that another response will follow.
    public var isInformational: Bool {
        self.response.status.kind == .informational && self.response.status.code != 101
    }
}
