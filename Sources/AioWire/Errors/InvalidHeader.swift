import HTTPTypes

/// A field line with a malformed name or value, or a field whose value breaks its own rules (400).
public struct InvalidHeader: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .badRequest }
    public let message: String
    public let offset: Int?
    /// The field name as received (bytes outside printable ASCII escaped); empty when the name
    /// itself could not be read.
    public let name: String

    /// An error in the field `name`, found at `offset`.
    public init(name: String, message: String, offset: Int? = nil) {
        self.name = name
        self.message = message
        self.offset = offset
    }
}
