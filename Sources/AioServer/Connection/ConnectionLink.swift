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
