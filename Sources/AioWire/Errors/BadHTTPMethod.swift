import HTTPTypes

/// A request method that is not a token (400) or that the parser does not recognise (501).
///
/// RFC 9110 §9.1: a server answers a method it does not implement with 501 Not Implemented.
public struct BadHTTPMethod: HTTPProcessingError, Hashable {
    public let status: HTTPResponse.Status
    public let message: String
    public let offset: Int?
    /// The method as received, with bytes outside printable ASCII escaped.
    public let method: String

    /// An error for `method`, found at `offset`.
    public init(method: String, message: String, offset: Int? = nil, status: HTTPResponse.Status) {
        self.method = method
        self.message = message
        self.offset = offset
        self.status = status
    }
}
