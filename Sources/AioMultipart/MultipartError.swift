import AioWire
import HTTPTypes

/// A malformed multipart body or one past a configured limit: 400 for the first, 413 for the
/// second (503 when uploads in progress fill the ``SpoolBudget``), answered by the server like
/// any other ``/AioWire/HTTPProcessingError``.
public struct MultipartError: HTTPProcessingError, Hashable {
    public let status: HTTPResponse.Status
    public let message: String
    /// Multipart errors are found in the body, where offsets would not help a client.
    public var offset: Int? { nil }

    /// An error with a reason and the status to answer it with.
    public init(_ message: String, status: HTTPResponse.Status = .badRequest) {
        self.message = message
        self.status = status
    }

    static func tooLarge(_ message: String) -> MultipartError {
        MultipartError(message, status: .contentTooLarge)
    }

    /// A part read whole is larger than `limit` bytes.
    static func partTooLarge(limit: Int) -> MultipartError {
        .tooLarge("A part is larger than \(limit) bytes")
    }
}
