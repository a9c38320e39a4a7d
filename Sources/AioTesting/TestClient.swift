import AioServer
import AioWeb
import AioWire
import HTTPTypes
import NIOCore

/// How ``/AioTesting/AioWeb/Application/test(_:_:)`` reaches the application.
public enum TestMode: Sendable {
    /// In process, without sockets: the request goes straight to the router and middlewares.
    case router
    /// Through a live server on 127.0.0.1 and a real connection.
    case live
}

/// Sends requests to an application under test, in either ``TestMode``.
public struct TestClient: Sendable {
    enum Target: Sendable {
        case router(FrozenApplication)
        case live(TestServer<ApplicationResponder>)
    }

    let target: Target

    /// The live server's port on 127.0.0.1, for a client of your own (a `ClientSession`, a
    /// WebSocket, a peer process); nil in ``TestMode/router`` mode, where there is no socket.
    public var port: Int? {
        guard case .live(let server) = self.target else { return nil }
        return server.port
    }

    /// Sends a request and returns the whole response.
    public func execute(
        _ method: HTTPRequest.Method,
        _ path: String,
        headers: HTTPFields = [:],
        body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        let request = HTTPRequest(method: method, scheme: "http", authority: "test", path: path, headerFields: headers)
        switch self.target {
        case .live(let server):
            let connection = try await server.connect()
            defer { Task { try? await connection.close() } }
            return try await connection.request(request, body: body)
        case .router(let frozen):
            var requestHead = HTTPRequestHead(request: request)
            if let body { requestHead.framing = .contentLength(body.readableBytes) }
            let serverRequest = ServerRequest(head: requestHead, body: body.map(RequestBody.init(buffer:)) ?? .empty)
            let webRequest = Request(serverRequest, app: frozen.application)
            let response = await frozen.process(webRequest)
            do {
                let result = try await Self.collect(response, method: method)
                await webRequest.removeTemporaryFiles()
                return result
            } catch {
                await webRequest.removeTemporaryFiles()
                throw error
            }
        }
    }

    /// The response as a server would send it, body collected.
    private static func collect(_ response: Response, method: HTTPRequest.Method) async throws -> TestResponse {
        var collected = ByteBuffer()
        var trailers: HTTPFields?
        switch response.body {
        case .empty:
            break
        case .buffer(let buffer):
            collected = buffer
        case .stream(_, let produce):
            let capture = BodyCapture()
            var writer = ResponseBodyWriter(capture: capture)
            try await produce(&writer)
            try await writer.finish()
            (collected, trailers, _) = capture.result
        case .switchProtocols:
            // Without a connection there is nothing to hand over: the head alone is seen.
            break
        }
        // The fields a server would add for framing, so both modes can be checked alike.
        var head = HTTPResponseHead(response: response.httpResponse)
        let status = response.status.code
        if let length = response.contentLength, status >= 200, status != 204, status != 304,
            head.response.headerFields[.contentLength] == nil
        {
            head.response.headerFields[.contentLength] = String(length)
        }
        return TestResponse(head: head, body: method == .head ? ByteBuffer() : collected, trailers: trailers)
    }
}
