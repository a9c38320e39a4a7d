import HTTPTypes

/// A line or header section longer than its configured limit.
///
/// The status follows RFC 9110: 414 URI Too Long for a request line, 431 Request Header Fields
/// Too Large for a field line or the whole header section, 400 for anything else. The parser
/// raises it as soon as the limit is passed, without buffering further.
public struct LineTooLong: HTTPProcessingError, Hashable {
    /// What grew past its limit.
    public enum Part: String, Sendable, Hashable {
        /// The request line of a request.
        case requestLine = "request line"
        /// The status line of a response.
        case statusLine = "status line"
        /// One header or trailer field line.
        case fieldLine = "field line"
        /// The whole header or trailer section.
        case fieldSection = "header section"
        /// A chunk-size line with its extensions.
        case chunkLine = "chunk size line"
        /// A line read through a stream reader.
        case line = "line"
    }

    public let status: HTTPResponse.Status
    public let message: String
    public let offset: Int?
    /// The part that was too long.
    public let part: Part
    /// The configured limit, in bytes.
    public let limit: Int

    /// An error for `part` past `limit` bytes, found at `offset`.
    public init(_ part: Part, limit: Int, offset: Int? = nil) {
        self.part = part
        self.limit = limit
        self.offset = offset
        switch part {
        case .requestLine: self.status = .uriTooLong
        case .fieldLine, .fieldSection: self.status = .requestHeaderFieldsTooLarge
        case .statusLine, .chunkLine, .line: self.status = .badRequest
        }
        self.message = "\(part.rawValue) is longer than \(limit) bytes"
    }
}
