import NIOCore

/// Tells the protocol handler, on its event loop, when a body reader wants more, or has gone:
/// the delegate of the sequences that carry request bodies.
struct Demand: NIOAsyncSequenceProducerDelegate {
    enum Stream: Sendable {
        /// The body of the request with this sequence number.
        case body(Int)
    }

    let stream: Stream
    let handler: NIOLoopBound<HTTPServerHandler>

    func produceMore() {
        let (handler, stream) = (self.handler, self.stream)
        Self.onLoop(handler) { $0.demandReturned(stream) }
    }

    func didTerminate() {
        let (handler, stream) = (self.handler, self.stream)
        Self.onLoop(handler) { $0.consumerTerminated(stream) }
    }

    /// Runs `body` on the handler's event loop, at once when already there.
    static func onLoop(_ handler: NIOLoopBound<HTTPServerHandler>, _ body: @escaping @Sendable (HTTPServerHandler) -> Void) {
        if handler.eventLoop.inEventLoop {
            body(handler.value)
        } else {
            handler.eventLoop.execute { body(handler.value) }
        }
    }
}

