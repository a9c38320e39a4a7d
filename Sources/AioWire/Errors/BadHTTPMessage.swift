import HTTPTypes

/// A message that breaks the HTTP/1.1 grammar or its framing rules (400 unless said otherwise).
///
/// The general parser error, as aiohttp's `BadHttpMessage`; the more specific errors
/// (``BadStatusLine``, ``InvalidHeader``, ``LineTooLong`` …) say which part was wrong.
public struct BadHTTPMessage: HTTPProcessingError, Hashable {
    public let status: HTTPResponse.Status
    public let message: String
    public let offset: Int?

    /// An error with a reason, the stream offset at which it was found and the status to answer.
    public init(_ message: String, offset: Int? = nil, status: HTTPResponse.Status = .badRequest) {
        self.message = message
        self.offset = offset
        self.status = status
    }
}
