import AioServer
import HTTPTypes
import NIOCore

/// Serves a handler written only against swift-http-types (the seed's `wsgi`): a request head,
/// its body and what the server knows about the client in; a response head and its body out.
///
/// ```swift
/// let gateway = Gateway { request, body, context in
///     (HTTPResponse(status: .ok), .bytes(ByteBuffer(string: "hello \(context.remoteAddress?.ipAddress ?? "")")))
/// }
/// try await HTTPServer(responder: gateway, configuration: configuration).run()
/// ```
///
/// The shape follows the `HTTPServerRequestHandler` of the Swift HTTP API proposal (request,
/// context, body in; response, body and trailers out), so an adapter to it stays small.
public struct Gateway: HTTPResponder {
    /// Answers one request.
    public typealias Handler = @Sendable (HTTPRequest, RequestBody, RequestContext) async throws -> (HTTPResponse, ResponseBody)

    /// How the request body reaches the handler (aiohttp-wsgi's `read_payload`).
    public enum ReadPayload: Sendable, Hashable {
        /// Read whole before the handler runs, at most `limit` bytes (413 past it, the handler
        /// never called): for handlers written as if the body were in memory.
        case buffered(limit: Int)
        /// Handed over as it arrives, for the handler to read (or not) at its own pace.
        case streamed
    }

    private let handler: Handler
    /// How the request body reaches the handler.
    public let readPayload: ReadPayload

    /// A gateway to `handler`; bodies are read whole, at most 1 MiB, unless `readPayload`
    /// says otherwise (aiohttp's `client_max_size`).
    public init(readPayload: ReadPayload = .buffered(limit: 1 << 20), handler: @escaping Handler) {
        self.readPayload = readPayload
        self.handler = handler
    }

    public func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        var body = request.body
        if case .buffered(let limit) = self.readPayload, body.expectedLength != 0 {
            body = RequestBody(buffer: try await body.collect(upTo: limit))
        }
        let (response, responseBody) = try await self.handler(request.request, body, RequestContext(request))
        try await responseBody.write(response, to: writer)
    }
}
