import HTTPTypes

/// A method the resource does not support (405), listing the allowed ones in `Allow`.
public struct HTTPMethodNotAllowed: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .methodNotAllowed }
    public let message: String
    public var offset: Int? { nil }
    /// The method that was refused.
    public let method: HTTPRequest.Method
    /// The methods the resource accepts, in the order given.
    public let allowedMethods: [HTTPRequest.Method]

    /// An error for `method` on a resource that accepts `allowedMethods`.
    public init(method: HTTPRequest.Method, allowedMethods: [HTTPRequest.Method]) {
        self.method = method
        self.allowedMethods = allowedMethods
        self.message = "Method \(method.rawValue) is not allowed"
    }

    /// `Allow` with every allowed method, comma-separated.
    public var headers: HTTPFields {
        [.allow: self.allowedMethods.map(\.rawValue).joined(separator: ", ")]
    }
}
