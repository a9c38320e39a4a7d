import HTTPTypes

/// A `Transfer-Encoding` or chunked body that cannot be framed: 400, or 501 for a transfer coding
/// the parser does not know (RFC 9112 §6.1).
public struct TransferEncodingError: HTTPProcessingError, Hashable {
    public let status: HTTPResponse.Status
    public let message: String
    public let offset: Int?

    /// An error with its reason, found at `offset`.
    public init(_ message: String, offset: Int? = nil, status: HTTPResponse.Status = .badRequest) {
        self.message = message
        self.offset = offset
        self.status = status
    }
}
