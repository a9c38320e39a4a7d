import HTTPTypes

/// A `Content-Length` that is not one non-negative decimal number that fits an `Int` (400).
public struct ContentLengthError: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .badRequest }
    public let message: String
    public let offset: Int?

    /// An error with its reason, found at `offset`.
    public init(_ message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }
}
