/// Answers requests: what an ``HTTPServer`` calls for each one, in order per connection.
///
/// Write the response through the `ResponseWriter` exactly once (the type system sees to it);
/// a responder that throws before writing gets the error's response (its status when it is an
/// `HTTPProcessingError`, otherwise 500).
public protocol HTTPResponder: Sendable {
    /// Answers `request` through `writer`.
    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws
}

/// A responder made of a closure.
public struct ClosureResponder: HTTPResponder {
    private let closure: @Sendable (ServerRequest, consuming ResponseWriter) async throws -> Void

    /// A responder that runs `closure` for each request.
    public init(_ closure: @escaping @Sendable (ServerRequest, consuming ResponseWriter) async throws -> Void) {
        self.closure = closure
    }

    public func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        try await self.closure(request, writer)
    }
}
