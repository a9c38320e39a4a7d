import HTTPTypes

/// A request on its way out, as middlewares see it (aiohttp's `ClientRequest` in a client
/// middleware): they may change its fields and body, and send it more than once.
public struct ClientRequest: Sendable {
    /// The method.
    public var method: HTTPRequest.Method
    /// The header fields (the jar's cookies are added after the middlewares).
    public var headers: HTTPFields
    /// The body.
    public var body: ClientRequestBody?
    /// The URL, absolute, without its fragment.
    public var url: String { self.target.string }
    /// Whether redirects led the request to another origin than the caller's first one:
    /// credentials for that origin must not be added (``BasicAuth`` and ``DigestAuth`` do not).
    public let isCrossOrigin: Bool

    let target: ClientURL
    /// The redirects followed so far, for the response.
    let history: [ClientResponse]
}

/// What a middleware calls to send the request on (the next middleware, or the connection).
public typealias ClientHandler = @Sendable (ClientRequest) async throws -> ClientResponse

/// Code around each request a session sends, as aiohttp 3.12's client middlewares: run for every
/// request, redirects and retries included, outermost first. A middleware may change the
/// request, answer without sending it, or send it again (``DigestAuth`` answers a challenge so).
///
/// ```swift
/// let timing = ClientMiddleware { request, next in
///     let started = ContinuousClock.now
///     defer { print(request.url, ContinuousClock.now - started) }
///     return try await next(request)
/// }
/// let session = try ClientSession(middlewares: [timing, BasicAuth(login: "me", password: "pw").middleware])
/// ```
public struct ClientMiddleware: Sendable {
    let body: @Sendable (ClientRequest, ClientHandler) async throws -> ClientResponse

    /// A middleware running `body` with each request and the handler that sends it on.
    public init(_ body: @escaping @Sendable (ClientRequest, ClientHandler) async throws -> ClientResponse) {
        self.body = body
    }

    /// `handler` wrapped in `middlewares`, the first outermost.
    static func chain(_ middlewares: [ClientMiddleware], around handler: @escaping ClientHandler) -> ClientHandler {
        middlewares.reversed().reduce(handler) { next, middleware in
            { request in try await middleware.body(request, next) }
        }
    }
}

extension BasicAuth {
    /// A middleware adding these credentials to every request that has no `Authorization` of
    /// its own, and never to one a redirect took to another origin.
    public var middleware: ClientMiddleware {
        let value = self.headerValue
        return ClientMiddleware { request, next in
            var request = request
            if !request.isCrossOrigin, request.headers[.authorization] == nil {
                request.headers[.authorization] = value
            }
            return try await next(request)
        }
    }
}
