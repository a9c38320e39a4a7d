import HTTPTypes

/// A well-formed request that HTTP/1.1 still forbids (400), such as one without exactly one `Host`.
///
/// aiohttp's `HttpBadRequest`: the syntax was fine, the request as a whole is not acceptable.
public struct HTTPBadRequest: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .badRequest }
    public let message: String
    public let offset: Int?

    /// An error with its reason and, when it comes from the parser, the offset of the request.
    public init(_ message: String = "Bad Request", offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }
}
