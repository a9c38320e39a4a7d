/// Answers requests: what an ``HTTPServer`` calls for each one, in order per connection.
///
/// Write the response through the `ResponseWriter` exactly once (the type system sees to it);
/// a responder that throws before writing gets the error's response (its status when it is an
/// `HTTPProcessingError`, otherwise 500).
public protocol HTTPResponder: Sendable {
    /// Answers `request` through `writer`.
    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws

    /// Answers `request` without suspending, or returns nil to have it answered by
    /// ``respond(to:writer:)``: the fast path for requests a responder can answer synchronously.
    ///
    /// The server asks on the connection's event loop, right where the request was parsed, for a
    /// request without a body when no earlier response is owed on the connection and handlers run
    /// on the event loop; it saves the hop to the connection's request loop. It must not block.
    /// The default answers nil.
    func respondImmediately(to request: ServerRequest) -> ImmediateResponse?
}

extension HTTPResponder {
    /// Never answers immediately: every request goes to ``respond(to:writer:)``.
    public func respondImmediately(to request: ServerRequest) -> ImmediateResponse? { nil }
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
