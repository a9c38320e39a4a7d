import AioServer
import AioWire
import HTTPTypes
import NIOCore

/// An application ready to serve: compiled routes, the middleware chain and signal receivers,
/// read without locks on every request.
public struct FrozenApplication: Sendable {
    /// The application it was made from.
    public let application: Application
    let router: CompiledRouter
    private let chain: Handler
    private let responsePrepare: [@Sendable (Request, inout Response) async throws -> Void]
    private let requestStart: [@Sendable (Request) async -> Void]
    private let requestEnd: [@Sendable (Request, Response) async -> Void]
    /// The middlewares, when none of them suspends, outermost first.
    private let synchronousMiddlewares: [SynchronousMiddleware]?
    /// Whether a request can be answered without suspending: every middleware is synchronous and
    /// no receiver of request or response signals runs, so that a synchronous handler answers on
    /// the spot.
    let answersOnTheSpot: Bool

    init(application: Application, router: CompiledRouter, middlewares: [Middleware]) {
        self.application = application
        self.router = router
        let dispatch: Handler = { request in
            guard let handler = request.routeHandler else { throw HTTPNotFound() }
            return try await handler(request)
        }
        self.chain = middlewares.reversed().reduce(dispatch) { next, middleware in middleware.wrapping(next) }
        self.synchronousMiddlewares = middlewares.allSatisfy(\.isSynchronous)
            ? middlewares.compactMap { if case .synchronous(let steps) = $0.kind { steps } else { nil } } : nil
        self.responsePrepare = application.onResponsePrepare.receivers
        self.requestStart = application.onRequestStart.receivers
        self.requestEnd = application.onRequestEnd.receivers
        self.answersOnTheSpot = self.synchronousMiddlewares != nil && self.responsePrepare.isEmpty
            && self.requestStart.isEmpty && self.requestEnd.isEmpty
    }

    /// Routes `request` and runs it through the middlewares and its handler.
    func handle(_ request: consuming Request) async throws -> Response {
        request.app = self.application
        switch self.router.resolve(request.method, rawPath: String(request.rawPath.dropFirst(request.routingPrefix.count))) {
        case .route(let handler, let matchInfo, let name):
            request.matchInfo = matchInfo
            request.routeName = name
            request.routeHandler = handler.run
            request.routePath = handler.path
        case .subapp(let subapp, let prefix):
            request.routeHandler = { request in
                var request = request
                request.routingPrefix += prefix
                return try await subapp.handle(request)
            }
        case .methodNotAllowed(let allowed):
            let method = request.method
            request.routeHandler = { _ in throw HTTPMethodNotAllowed(method: method, allowedMethods: allowed) }
        case .notFound:
            request.routeHandler = nil
        }
        return try await self.chain(request)
    }

    func resolves(_ method: HTTPRequest.Method, rawPath: String) -> Bool {
        switch self.router.resolve(method, rawPath: rawPath) {
        case .route: return true
        case .subapp(let subapp, let prefix): return subapp.resolves(method, rawPath: String(rawPath.dropFirst(prefix.count)))
        case .methodNotAllowed, .notFound: return false
        }
    }

    /// Answers `request`: errors become their responses, then the response-prepare receivers
    /// run. Never throws: a server or a test gets a response either way.
    public func process(_ request: Request) async -> Response {
        for receiver in self.requestStart { await receiver(request) }
        var response: Response
        do {
            response = try await self.handle(request)
            for receiver in self.responsePrepare { try await receiver(request, &response) }
        } catch {
            response = self.errorResponse(error, for: request)
            for receiver in self.responsePrepare { try? await receiver(request, &response) }
        }
        for receiver in self.requestEnd { await receiver(request, response) }
        return response
    }

    /// Answers `request` (from `server`) without suspending when its route has a synchronous
    /// handler (a 404 or 405 as well), through the synchronous middlewares; nil when it needs
    /// ``process(_:)``. Only for an application that ``answersOnTheSpot``.
    func processImmediately(_ request: consuming Request, server: ServerRequest) -> ImmediateResponse? {
        guard let middlewares = self.synchronousMiddlewares else { return nil }
        // The response stays a plain local, never an optional: an optional response is destroyed
        // through type metadata, a cost every request would pay.
        let response: Response
        let endpoint: SynchronousHandler
        switch self.router.resolve(request.method, rawPath: request.rawPath) {
        case .route(let handler, let matchInfo, let name):
            guard let immediate = handler.immediate else { return nil }
            // Set only when there is something to set: replacing the empty defaults costs their
            // destruction through type metadata.
            if !matchInfo.isEmpty { request.matchInfo = matchInfo }
            if name != nil { request.routeName = name }
            // Middlewares ask whether and which route matched (`isRouted`, `route`).
            if !middlewares.isEmpty {
                request.routeHandler = handler.run
                request.routePath = handler.path
            }
            endpoint = immediate
        case .methodNotAllowed(let allowed):
            let method = request.method
            endpoint = { _ in throw HTTPMethodNotAllowed(method: method, allowedMethods: allowed) }
            if !middlewares.isEmpty { request.routeHandler = { request in try endpoint(request) } }
        case .notFound:
            endpoint = { _ in throw HTTPNotFound() }
        case .subapp:
            return nil
        }
        do {
            response = try Self.run(request, through: middlewares[...], endpoint)
        } catch {
            response = self.errorResponse(error, for: request)
        }
        return ApplicationResponder.immediate(response, for: server)
    }

    /// `request` through `middlewares`, outermost first, then `endpoint`, without suspending.
    private static func run(
        _ request: Request,
        through middlewares: ArraySlice<SynchronousMiddleware>,
        _ endpoint: SynchronousHandler
    ) throws -> Response {
        guard let first = middlewares.first else { return try endpoint(request) }
        return try first.run(request) { try Self.run($0, through: middlewares.dropFirst(), endpoint) }
    }

    private func errorResponse(_ error: any Error, for request: Request) -> Response {
        if let error = error as? any HTTPProcessingError {
            return Response(error)
        }
        self.application.logger.error(
            "handler error",
            metadata: ["error": "\(error)", "method": "\(request.method)", "path": "\(request.rawPath)"]
        )
        let text = self.application.debug ? "500: Internal Server Error\n\n\(error)" : nil
        return Response(HTTPInternalServerError(text: text))
    }
}

/// Serves a frozen application behind an ``/AioServer/HTTPServer``.
public struct ApplicationResponder: HTTPResponder {
    let frozen: FrozenApplication

    /// A responder for `application`, frozen first.
    public init(_ application: Application) throws {
        self.frozen = try application.freeze()
    }

    public func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        let webRequest = Request(request, app: self.frozen.application)
        let response = await self.frozen.process(webRequest)
        do {
            try await Self.write(response, for: request, to: writer)
        } catch {
            await webRequest.removeTemporaryFiles()
            throw error
        }
        await webRequest.removeTemporaryFiles()
    }

    /// Answers with a synchronous route handler on the spot (see ``SynchronousHandler``).
    public func respondImmediately(to request: ServerRequest) -> ImmediateResponse? {
        guard self.frozen.answersOnTheSpot else { return nil }
        return self.frozen.processImmediately(Request(request, app: self.frozen.application), server: request)
    }

    /// `response` to `request` as the server writes it on the spot: text and buffered bodies
    /// whole, streams and protocol switches on the request loop.
    static func immediate(_ response: Response, for request: ServerRequest) -> ImmediateResponse {
        if case .text(let text) = response.content {
            return .text(response.httpResponse, body: text)
        }
        switch response.body {
        case .empty:
            return .whole(response.httpResponse, body: ByteBuffer())
        case .buffer(let buffer):
            return .whole(response.httpResponse, body: buffer)
        case .stream, .switchProtocols:
            return .later { writer in try await Self.write(response, for: request, to: writer) }
        }
    }

    private static func write(_ response: Response, for request: ServerRequest, to writer: consuming ResponseWriter) async throws {
        let head = response.httpResponse
        if case .text(let text) = response.content {
            // Straight into the head's buffer, as on the spot.
            try await writer.write(head, text: text)
            return
        }
        switch response.body {
        case .empty:
            try await writer.write(head)
        case .buffer(let buffer):
            try await writer.write(head, body: buffer)
        case .stream(let length, let produce):
            var body = try await writer.writeHead(head, contentLength: length)
            if request.request.method != .head {
                try await produce(&body)
            }
            try await body.finish()
        case .switchProtocols(let run):
            let connection = try await writer.switchProtocols(head)
            do {
                try await run(connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
    }
}
