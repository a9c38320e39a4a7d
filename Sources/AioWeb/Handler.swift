/// What answers a request: aiohttp's handler, `async def handler(request) -> Response`.
public typealias Handler = @Sendable (Request) async throws -> Response

/// Code around every handler of an application, as aiohttp's `@web.middleware`: it receives the
/// request (with its route already matched) and the next step, and returns the response.
///
/// ```swift
/// let timing: Middleware = { request, next in
///     let start = ContinuousClock.now
///     var response = try await next(request)
///     response.headers[HTTPField.Name("X-Time")!] = "\(ContinuousClock.now - start)"
///     return response
/// }
/// ```
public typealias Middleware = @Sendable (Request, _ next: Handler) async throws -> Response
