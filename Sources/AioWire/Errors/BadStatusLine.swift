import HTTPTypes

/// A request line or status line that does not parse (400), or names an unsupported HTTP
/// version (505).
public struct BadStatusLine: HTTPProcessingError, Hashable {
    public let status: HTTPResponse.Status
    public let message: String
    public let offset: Int?
    /// The offending line as far as it was read, with bytes outside printable ASCII escaped.
    public let line: String

    /// An error for `line`, found at `offset`.
    public init(
        _ message: String,
        line: String = "",
        offset: Int? = nil,
        status: HTTPResponse.Status = .badRequest
    ) {
        self.message = message
        self.line = line
        self.offset = offset
        self.status = status
    }
}
