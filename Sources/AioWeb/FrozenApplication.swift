import AioServer
import AioWire
import HTTPTypes

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

    init(application: Application, router: CompiledRouter, middlewares: [Middleware]) {
        self.application = application
        self.router = router
        let dispatch: Handler = { request in
            guard let handler = request.routeHandler else { throw HTTPNotFound() }
            return try await handler(request)
        }
        self.chain = middlewares.reversed().reduce(dispatch) { next, middleware in
            { request in try await middleware(request, next) }
        }
        self.responsePrepare = application.onResponsePrepare.receivers
        self.requestStart = application.onRequestStart.receivers
        self.requestEnd = application.onRequestEnd.receivers
    }

    /// Routes `request` and runs it through the middlewares and its handler.
    func handle(_ request: Request) async throws -> Response {
        var request = request
        request.app = self.application
        switch self.router.resolve(request.method, rawPath: String(request.rawPath.dropFirst(request.routingPrefix.count))) {
        case .route(let handler, let matchInfo, let name):
            request.matchInfo = matchInfo
            request.routeName = name
            request.routeHandler = handler
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

/// Serves a frozen application behind an ``AioServer/HTTPServer``.
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

    private static func write(_ response: Response, for request: ServerRequest, to writer: consuming ResponseWriter) async throws {
        let head = response.httpResponse
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
