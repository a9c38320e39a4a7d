import HTTPTypes

/// An HTTP proxy refused to open a tunnel: its answer to `CONNECT` was not a 2xx.
///
/// Carries the proxy's own status and header fields, as aiohttp's `HttpProxyError`.
public struct HTTPProxyError: HTTPProcessingError, Hashable {
    public let status: HTTPResponse.Status
    public let message: String
    public let headers: HTTPFields
    public var offset: Int? { nil }

    /// An error for the proxy response `status` with its `headers`.
    public init(status: HTTPResponse.Status, message: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message ?? "Proxy answered CONNECT with \(status.code) \(status.reasonPhrase)"
        self.headers = headers
    }
}
