import AioWire
import Logging
import NIOCore

/// One accepted connection: its channel and the requests its protocol handler parsed.
struct HTTPServerConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTPServerHandler>
    let requests: HTTPServerHandler.RequestQueue
    let isSecure: Bool

    /// Answers the connection's requests in order until it closes.
    func run(responder: some HTTPResponder) async {
        for await item in self.requests {
            switch item {
            case .request(let request, let state):
                let link = ConnectionLink(handler: self.handler, state: state, isSecure: self.isSecure)
                do {
                    try await responder.respond(to: request, writer: ResponseWriter(link: link))
                    try await link.run { handler, state in handler.responderReturned(state) }
                } catch {
                    _ = try? await link.run { handler, state in handler.responderFailed(error, state: state) }
                }
            case .failure(let error, let state):
                let link = ConnectionLink(handler: self.handler, state: state, isSecure: self.isSecure)
                _ = try? await link.run { handler, state in handler.writeError(error, state: state) }
            }
        }
        // The loop ends when the connection closes or the task is cancelled (forced shutdown).
        self.channel.close(promise: nil)
    }
}
