/// What answers a request: aiohttp's handler, `async def handler(request) -> Response`.
public typealias Handler = @Sendable (Request) async throws -> Response

/// A handler that answers without suspending. A route given one (a closure without `await`
/// picks the router's overloads for it) is answered right where the server parsed the request,
/// without a hop to the connection's request loop, when the request has no body, every
/// middleware of the application is synchronous (``Middleware/synchronous(request:response:error:)``)
/// and no request or response signal has receivers; otherwise it runs as any other handler.
public typealias SynchronousHandler = @Sendable (Request) throws -> Response

/// A route's handler, with its synchronous form when it has one, and the route's path.
struct RouteHandler: Sendable {
    /// The handler as middlewares call it.
    let run: Handler
    /// The same handler, callable without suspending.
    let immediate: SynchronousHandler?
    /// The route's path pattern as registered (`/users/{id}`).
    let path: String

    init(_ handler: @escaping Handler, path: String) {
        self.run = handler
        self.immediate = nil
        self.path = path
    }

    init(immediate handler: @escaping SynchronousHandler, path: String) {
        self.run = { request in try handler(request) }
        self.immediate = handler
        self.path = path
    }
}
