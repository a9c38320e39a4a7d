/// Code around every handler of an application, as aiohttp's `@web.middleware`: it receives the
/// request (with its route already matched) and the next step, and returns the response.
///
/// ```swift
/// let timing = Middleware { request, next in
///     let start = ContinuousClock.now
///     var response = try await next(request)
///     response.headers[HTTPField.Name("X-Time")!] = "\(ContinuousClock.now - start)"
///     return response
/// }
/// ```
///
/// A middleware that never suspends is better written with ``synchronous(request:response:error:)``:
/// an application whose middlewares all are, with a synchronous handler, answers a request
/// right where the server parsed it, with no task to run (see ``SynchronousHandler``).
public struct Middleware: Sendable {
    /// The two forms a middleware takes.
    enum Kind: Sendable {
        case async(@Sendable (Request, Handler) async throws -> Response)
        case synchronous(SynchronousMiddleware)
    }

    let kind: Kind

    /// A middleware that runs `body` with the request and the rest of the chain.
    public init(_ body: @escaping @Sendable (Request, _ next: Handler) async throws -> Response) {
        self.kind = .async(body)
    }

    /// A middleware that never suspends, made of up to three steps, each optional:
    ///
    /// - `request` sees the request on its way in and may change it, or answer it itself by
    ///   returning a response (the rest of the chain is then skipped);
    /// - `response` sees the response on its way out (this middleware's own answer too) and may
    ///   change it;
    /// - `error` answers an error thrown further in (by the handler or an inner middleware), or
    ///   throws again.
    ///
    /// ```swift
    /// let cors = Middleware.synchronous(response: { request, response in
    ///     response.headers[.accessControlAllowOrigin] = "*"
    /// })
    /// ```
    public static func synchronous(
        request: (@Sendable (inout Request) throws -> Response?)? = nil,
        response: (@Sendable (Request, inout Response) throws -> Void)? = nil,
        error: (@Sendable (Request, any Error) throws -> Response)? = nil
    ) -> Middleware {
        Middleware(kind: .synchronous(SynchronousMiddleware(request: request, response: response, error: error)))
    }

    private init(kind: Kind) {
        self.kind = kind
    }

    /// Whether the middleware never suspends.
    var isSynchronous: Bool {
        if case .synchronous = self.kind { return true }
        return false
    }

    /// The middleware around `next`, as a handler.
    func wrapping(_ next: @escaping Handler) -> Handler {
        switch self.kind {
        case .async(let body):
            return { request in try await body(request, next) }
        case .synchronous(let steps):
            return { request in try await steps.run(request, next) }
        }
    }
}

/// The steps of a middleware that never suspends (see ``Middleware/synchronous(request:response:error:)``).
struct SynchronousMiddleware: Sendable {
    let request: (@Sendable (inout Request) throws -> Response?)?
    let response: (@Sendable (Request, inout Response) throws -> Void)?
    let error: (@Sendable (Request, any Error) throws -> Response)?

    /// The middleware around `next`, run without suspending.
    ///
    /// (The twin of the async `run` below: Swift cannot write one body for both.)
    func run(_ request: Request, _ next: (Request) throws -> Response) throws -> Response {
        var request = request
        var response: Response
        if let early = try self.request?(&request) {
            response = early
        } else {
            do {
                response = try next(request)
            } catch {
                guard let recover = self.error else { throw error }
                response = try recover(request, error)
            }
        }
        try self.response?(request, &response)
        return response
    }

    /// The middleware around an async `next`: the same steps, awaiting the rest of the chain.
    func run(_ request: Request, _ next: Handler) async throws -> Response {
        var request = request
        var response: Response
        if let early = try self.request?(&request) {
            response = early
        } else {
            do {
                response = try await next(request)
            } catch {
                guard let recover = self.error else { throw error }
                response = try recover(request, error)
            }
        }
        try self.response?(request, &response)
        return response
    }
}
