import AioWire
import Logging
import NIOCore

/// One accepted connection: its channel and the requests its protocol handler parsed.
struct HTTPServerConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTPServerHandler>
    let isSecure: Bool

    /// The next request (or failure) the handler parsed, or nil once the connection has closed.
    /// On the connection's event loop, a queued item costs no suspension.
    private func nextItem() async -> ConnectionItem? {
        if self.handler.eventLoop.inEventLoop, let ready = self.handler.value.takeItem() {
            return ready
        }
        let handler = self.handler
        return await withUnsafeContinuation { continuation in
            Demand.onLoop(handler) { $0.waitForItem(continuation) }
        }
    }

    /// Answers the connection's requests in order until it closes.
    func run(responder: some HTTPResponder) async {
        while let item = await self.nextItem() {
            switch consume item {
            case .request(let request, let state):
                await self.answer(state) { writer in try await responder.respond(to: request, writer: writer) }
            case .rest(let rest, let state):
                await self.answer(state, rest)
            case .failure(let error, let state):
                let link = ConnectionLink(handler: self.handler, state: state, isSecure: self.isSecure)
                _ = try? await link.run { handler, state in handler.writeError(error, state: state) }
            }
        }
        // The loop ends when the connection closes (forced shutdown closes every connection).
        self.channel.close(promise: nil)
        // Returns only once the channel is gone, its close callbacks run: some hop to other event
        // loops (the quiescing helper's bookkeeping), which the server shuts down once every
        // connection has returned.
        try? await self.channel.closeFuture.get()
    }

    /// Runs `respond` for the response `state` stands for, then finishes that response, or
    /// answers with the error it threw.
    private func answer(
        _ state: NIOLoopBound<ResponseState>,
        _ respond: (consuming ResponseWriter) async throws -> Void
    ) async {
        let link = ConnectionLink(handler: self.handler, state: state, isSecure: self.isSecure)
        do {
            try await respond(ResponseWriter(link: link))
            try await link.run { handler, state in handler.responderReturned(state) }
        } catch {
            _ = try? await link.run { handler, state in handler.responderFailed(error, state: state) }
        }
    }
}
