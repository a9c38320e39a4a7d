import HTTPTypes
import Tracing

extension Middleware {
    /// A middleware giving each request a server span of swift-distributed-tracing that continues
    /// the trace the request's fields carry (read by the tracer's propagator: with swift-otel's,
    /// W3C `traceparent` and `tracestate`), named and described as OpenTelemetry's HTTP server
    /// conventions say: `GET /users/{id}` (the route, never the raw path), with
    /// `http.request.method`, `url.path`, `url.scheme`, `http.route`, `server.address`,
    /// `client.address` (the client as the trusted `Forwarded` rules resolve it),
    /// `user_agent.original`, `http.response.status_code`, and `error.type` for 5xx answers and
    /// errors that are not HTTP exceptions. The rest of the chain runs with the span as the task's
    /// context: the handler's own spans, and those of its client requests, are its children.
    ///
    /// Put it first so that its span covers the other middlewares:
    ///
    /// ```swift
    /// let app = Application(middlewares: [.tracing(tracer: InstrumentationSystem.tracer)])
    /// ```
    public static func tracing(tracer: some Tracer) -> Middleware {
        Middleware { request, next in try await Self.trace(request, next, tracer: tracer) }
    }

    /// ``tracing(tracer:)`` with the tracer bootstrapped in `InstrumentationSystem`, looked up
    /// for each request.
    public static func tracing() -> Middleware {
        Middleware { request, next in try await Self.trace(request, next, tracer: InstrumentationSystem.tracer) }
    }

    /// Runs `next` for `request` in a server span of `tracer`.
    private static func trace(_ request: Request, _ next: Handler, tracer: some Tracer) async throws -> Response {
        var context = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &context, using: HTTPFieldsExtractor())
        let route = request.route
        let method = request.method.rawValue
        let span = tracer.startSpan(route.map { "\(method) \($0)" } ?? method, context: context, ofKind: .server)
        defer { span.end() }
        span.attributes["http.request.method"] = method
        span.attributes["url.path"] = request.path
        span.attributes["url.scheme"] = request.scheme
        span.attributes["http.route"] = route
        span.attributes["server.address"] = request.host
        span.attributes["client.address"] = request.remote
        span.attributes["user_agent.original"] = request.headers[.userAgent]
        do {
            let response = try await ServiceContext.withValue(span.context) { try await next(request) }
            Self.record(response.status, on: span)
            return response
        } catch let error as any HTTPException {
            Self.record(error.status, on: span)
            throw error
        } catch {
            span.attributes["error.type"] = String(describing: type(of: error))
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// The status on the span; a server error (5xx) marks the span failed. A 4xx does not: it
    /// is the client's error, not the server's (OpenTelemetry's HTTP server conventions).
    private static func record(_ status: HTTPResponse.Status, on span: some Span) {
        span.attributes["http.response.status_code"] = status.code
        guard status.kind == .serverError else { return }
        span.attributes["error.type"] = String(status.code)
        span.setStatus(SpanStatus(code: .error))
    }
}

/// Reads a propagator's values from a request's fields.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}
