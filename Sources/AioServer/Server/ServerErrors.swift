import AioWire
import HTTPTypes

/// A request body larger than the server or handler allows (413).
public struct PayloadTooLarge: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .contentTooLarge }
    public var message: String { "Request body is larger than \(self.limit) bytes" }
    public var offset: Int? { nil }
    /// The limit, in bytes.
    public let limit: Int

    /// An error for a body over `limit` bytes.
    public init(limit: Int) {
        self.limit = limit
    }
}

/// The client stopped sending a request in time (408): the head took longer than the head
/// timeout, or the body stalled for longer than the body timeout.
public struct RequestTimeout: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .requestTimeout }
    public let message: String
    public var offset: Int? { nil }

    /// An error saying what timed out.
    public init(_ message: String) {
        self.message = message
    }
}

/// The connection closed before the request body was complete.
public struct ConnectionClosed: Error, Hashable, CustomStringConvertible {
    /// An error for a connection that went away.
    public init() {}

    public var description: String { "The connection closed before the request was complete" }
}

/// A server failure without details for the client (500).
public struct InternalServerError: HTTPProcessingError, Hashable {
    public var status: HTTPResponse.Status { .internalServerError }
    public let message: String
    public var offset: Int? { nil }

    /// An error with the message the client sees.
    public init(message: String = "Server got itself in trouble") {
        self.message = message
    }
}

/// A second response for the same request, refused.
public struct ResponseAlreadyWritten: Error, Hashable, CustomStringConvertible {
    /// The error.
    public init() {}

    public var description: String { "A response was already written for this request" }
}

/// A streamed body longer than the `Content-Length` announced for it.
public struct ResponseBodyLengthMismatch: Error, Hashable, CustomStringConvertible {
    /// The announced length.
    public let declared: Int
    /// The bytes the write would have brought it to.
    public let written: Int

    /// An error for a body of `written` bytes where `declared` were announced.
    public init(declared: Int, written: Int) {
        self.declared = declared
        self.written = written
    }

    public var description: String {
        "Response body of \(self.written) bytes exceeds its Content-Length of \(self.declared)"
    }
}

/// A `101 Switching Protocols` answer to a request that did not ask to upgrade (`Upgrade` with
/// `Connection: upgrade`), or a response other than 101 given to ``ResponseWriter/switchProtocols(_:)``.
public struct UpgradeNotRequested: Error, Hashable, CustomStringConvertible {
    /// The error.
    public init() {}

    public var description: String { "Switching protocols needs a request asking to upgrade and a 101 response" }
}

/// A responder gave a 1xx status as its response: an interim status is never the answer (RFC
/// 9110 §15.2; 101 goes through ``ResponseWriter/switchProtocols(_:)``), and a client would wait
/// on for one. The request is answered with 500 instead.
public struct InterimStatusAsResponse: Error, Hashable, CustomStringConvertible {
    /// The status code given.
    public let code: Int

    /// The error for an interim `code` given as a response's status.
    public init(code: Int) {
        self.code = code
    }

    public var description: String { "\(self.code) is an interim status, not a response" }
}
