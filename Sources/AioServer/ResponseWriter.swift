import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore

/// The way to a connection's event loop for one response.
struct ConnectionLink: Sendable {
    let handler: NIOLoopBound<HTTPServerHandler>
    let state: NIOLoopBound<ResponseState>
    /// Whether the connection is TLS, where file regions cannot be sent as they are.
    let isSecure: Bool

    /// Runs `body` on the event loop: inline when already there, as it is when the request loop
    /// runs on the connection's event loop.
    func run<Result: Sendable>(
        _ body: @escaping @Sendable (HTTPServerHandler, ResponseState) throws -> Result
    ) async throws -> Result {
        let eventLoop = self.handler.eventLoop
        if eventLoop.inEventLoop {
            return try body(self.handler.value, self.state.value)
        }
        let (handler, state) = (self.handler, self.state)
        return try await eventLoop.submit { try body(handler.value, state.value) }.get()
    }
}

/// Writes the one response to a request. It can be used once: `write` sends a whole response,
/// `writeHead` starts a streamed one.
///
/// ```swift
/// try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: "hello"))
/// ```
///
/// The server adds `Date`, `Server`, the framing (`Content-Length`, or chunked for HTTP/1.1
/// when the length is unknown) and `Connection`; a response to HEAD, a 204 or a 304 carries no
/// body bytes.
public struct ResponseWriter: ~Copyable, Sendable {
    let link: ConnectionLink

    init(link: ConnectionLink) {
        self.link = link
    }

    /// Writes `response` with a body held in memory.
    public consuming func write(_ response: HTTPResponse, body: ByteBuffer = ByteBuffer()) async throws {
        try await self.link.run { handler, state in
            try handler.writeWhole(response, body: body, state: state)
        }
    }

    /// Answers an upgrade request with `response`, `101 Switching Protocols`, and hands the
    /// connection to the protocol it names: the connection carries raw bytes both ways from now
    /// on, and closes when the returned connection is closed or the handler returns.
    ///
    /// - Throws: ``UpgradeNotRequested`` when the request did not ask to upgrade or `response`
    ///   is not a 101.
    public consuming func switchProtocols(_ response: HTTPResponse) async throws -> UpgradedConnection {
        let inbound = try await self.link.run { handler, state in
            try handler.switchProtocols(response, state: state)
        }
        return UpgradedConnection(inbound: inbound, link: self.link)
    }

    /// Writes the head of `response` and returns the writer of its body. Give `contentLength`
    /// when the body's size is known; otherwise HTTP/1.1 responses are chunked and HTTP/1.0 ones
    /// end with the connection.
    public consuming func writeHead(_ response: HTTPResponse, contentLength: Int? = nil) async throws -> ResponseBodyWriter {
        try await self.link.run { handler, state in
            try handler.writeHead(response, contentLength: contentLength, state: state)
        }
        return ResponseBodyWriter(link: self.link)
    }
}

/// Writes the body of a streamed response, with back-pressure: `write` waits while the client
/// is not reading. End it with ``finish(trailers:)``.
public struct ResponseBodyWriter: ~Copyable, Sendable {
    enum Target: Sendable {
        case connection(ConnectionLink)
        case capture(BodyCapture)
    }

    let target: Target
    /// Applied to every piece written, when set (compression).
    public var transform: (any BodyTransform)?

    init(link: ConnectionLink) {
        self.target = .connection(link)
    }

    /// A writer that keeps the body in `capture`: for in-process tests.
    package init(capture: BodyCapture) {
        self.target = .capture(capture)
    }

    /// Writes `buffer` as the next piece of the body.
    public mutating func write(_ buffer: ByteBuffer) async throws {
        if let transform = self.transform {
            try await self.writeUntransformed(transform.transform(buffer))
        } else {
            try await self.writeUntransformed(buffer)
        }
    }

    private mutating func writeUntransformed(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return }
        switch self.target {
        case .connection(let link):
            let wait = try await link.run { handler, state in
                try handler.writeBody(buffer, state: state)
            }
            if let wait {
                try await wait.get()
            }
        case .capture(let capture):
            capture.append(buffer)
        }
    }

    /// Ends the body; `trailers` are sent when the body is chunked.
    public consuming func finish(trailers: HTTPFields? = nil) async throws {
        if let transform = self.transform {
            try await self.writeUntransformed(transform.finish())
        }
        switch self.target {
        case .connection(let link):
            try await link.run { handler, state in
                try handler.finishBody(trailers: trailers, state: state)
            }
        case .capture(let capture):
            capture.finish(trailers: trailers)
        }
    }
}

/// A response body kept in memory by a ``ResponseBodyWriter`` made for in-process tests.
package final class BodyCapture: Sendable {
    private let state = NIOLockedValueBox<(body: ByteBuffer, trailers: HTTPFields?, finished: Bool)>((ByteBuffer(), nil, false))

    package init() {}

    func append(_ buffer: ByteBuffer) {
        self.state.withLockedValue { state in
            var buffer = buffer
            state.body.writeBuffer(&buffer)
        }
    }

    func finish(trailers: HTTPFields?) {
        self.state.withLockedValue { $0.trailers = trailers; $0.finished = true }
    }

    /// The body written, its trailers, and whether it was finished.
    package var result: (body: ByteBuffer, trailers: HTTPFields?, finished: Bool) {
        self.state.withLockedValue { $0 }
    }
}
