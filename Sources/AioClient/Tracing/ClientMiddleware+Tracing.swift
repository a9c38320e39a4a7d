import HTTPTypes
import Tracing

extension ClientMiddleware {
    /// A middleware giving each request (each redirect hop and retry too) a client span of
    /// swift-distributed-tracing, a child of the task's current span, with OpenTelemetry's HTTP
    /// client attributes (`http.request.method`, `url.full`, `server.address`, `server.port`,
    /// `http.response.status_code`, `error.type`), and the span's context injected into the
    /// request's fields by the tracer's propagator: with swift-otel's W3C propagator, the
    /// `traceparent` and `tracestate` fields the server continues the trace from.
    ///
    /// ```swift
    /// let session = try ClientSession(middlewares: [.tracing(tracer: InstrumentationSystem.tracer)])
    /// ```
    public static func tracing(tracer: some Tracer) -> ClientMiddleware {
        ClientMiddleware { request, next in
            var request = request
            let span = tracer.startSpan(request.method.rawValue, ofKind: .client)
            defer { span.end() }
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["url.full"] = request.url
            span.attributes["server.address"] = request.target.host
            span.attributes["server.port"] = request.target.port
            tracer.inject(span.context, into: &request.headers, using: HTTPFieldsInjector())
            do {
                let response = try await next(request)
                let code = response.status.code
                span.attributes["http.response.status_code"] = code
                if code >= 400 {
                    span.attributes["error.type"] = String(code)
                    span.setStatus(SpanStatus(code: .error))
                }
                return response
            } catch {
                span.attributes["error.type"] = (error as? any ClientError)?.name ?? String(describing: type(of: error))
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
                throw error
            }
        }
    }

    /// ``tracing(tracer:)`` with the tracer bootstrapped in `InstrumentationSystem`, looked up
    /// for each request.
    public static func tracing() -> ClientMiddleware {
        ClientMiddleware { request, next in
            try await Self.tracing(tracer: InstrumentationSystem.tracer).body(request, next)
        }
    }
}

/// Writes a propagator's values into a request's fields.
struct HTTPFieldsInjector: Injector {
    func inject(_ value: String, forKey key: String, into fields: inout HTTPFields) {
        guard let name = HTTPField.Name(key) else { return }
        fields[name] = value
    }
}
