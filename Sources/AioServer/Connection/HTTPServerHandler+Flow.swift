import AioWire
import NIOCore

/// The flow between the protocol handler and the connection's request loop: the queue of items,
/// the demand of body readers and the reading it turns on and off, and the hand-over of the
/// connection when a response switches protocols.
extension HTTPServerHandler {
    /// Hands `item` to the request loop, or keeps it; reading stops once `maxPipelinedRequests`
    /// wait.
    func enqueue(_ item: ConnectionItem) {
        if let waiter = self.items.push(item) {
            if let executor = self.requestLoopExecutor, item.answersWithoutReading {
                executor.resumeInline { waiter.resume(returning: item) }
            } else {
                waiter.resume(returning: item)
            }
        } else if self.items.count >= max(1, self.configuration.maxPipelinedRequests) {
            self.pausedForRequests = true
        }
    }

    /// The next item for the request loop: `.some(item)`, `.some(nil)` once the connection has
    /// closed, or nil when the loop has to wait.
    func takeItem() -> ConnectionItem?? {
        guard let item = self.items.pop() else { return nil }
        if self.pausedForRequests, self.items.isEmpty, !self.parser.isUpgraded {
            self.pausedForRequests = false
            self.resumeReading()
        }
        return .some(item)
    }

    /// Parks the request loop until an item arrives.
    func waitForItem(_ continuation: UnsafeContinuation<ConnectionItem?, Never>) {
        if let ready = self.takeItem() {
            continuation.resume(returning: ready)
        } else {
            self.items.park(continuation)
        }
    }

    func finishQueue() {
        self.items.finish()?.resume(returning: nil)
    }

    func demandReturned(_ stream: Demand.Stream) {
        switch stream {
        case .body(let sequence):
            guard var receiving = self.receiving, receiving.sequence == sequence else { return }
            if receiving.expectsContinue {
                receiving.expectsContinue = false
                self.sendContinue(for: sequence)
            }
            self.receiving = receiving
            self.pausedForBody = false
            self.startBodyTimer()
        }
        self.resumeReading()
    }

    func consumerTerminated(_ stream: Demand.Stream) {
        switch stream {
        case .body(let sequence):
            // The handler dropped the body: the rest is read and discarded, unless its response
            // decides to close instead.
            guard var receiving = self.receiving, receiving.sequence == sequence else { return }
            receiving.source = nil
            self.receiving = receiving
            self.pausedForBody = false
            self.bodyTimer?.cancel()
            self.bodyTimer = nil
            self.resumeReading()
        }
    }

    func resumeReading() {
        guard !self.closed else { return }
        self.process()
    }

    /// Turns the channel's reading on or off to match what the requests need. Back-pressure by
    /// `autoRead` rather than by holding back `read` events: a handler that sees every `read`
    /// adds a pass through the pipeline to each request.
    func updateReading() {
        let wanted = !self.pausedForRequests && !self.pausedForBody && !self.stopReading
        guard wanted != self.reading, !self.closed else { return }
        self.reading = wanted
        try? self.context.channel.syncOptions?.setOption(.autoRead, value: wanted)
    }

    /// Whether nothing of a next request has arrived.
    var isIdle: Bool { self.pending.isEmpty && self.receiving == nil && self.parser.isIdle }

    /// After the oldest request was answered with `101 Switching Protocols`: hands the rest of
    /// the connection's input, the bytes already buffered behind the request first, to the
    /// returned sequence, with the same back-pressure as a request body and no timeout (the new
    /// protocol keeps its own).
    func upgradeAccepted(_ state: ResponseState) -> RequestBody {
        self.upgraded = true
        self.deadlines.clearAll()
        self.connectionTimer?.task.cancel()
        self.connectionTimer = nil
        let made = RequestBody.Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8),
            finishOnDeinit: false,
            delegate: Demand(stream: .body(state.sequence), handler: NIOLoopBound(self, eventLoop: self.context.eventLoop))
        )
        self.receiving = Receiving(sequence: state.sequence, source: made.source, expectsContinue: false)
        if self.input.readableBytes > 0 {
            let rest = self.input
            self.input = ByteBuffer()
            self.receivedBody(rest)
        }
        self.pausedForRequests = false
        self.resumeReading()
        return RequestBody(storage: .stream(made.sequence), expectedLength: nil)
    }

    /// After an upgrade request was answered without switching protocols, goes on with HTTP.
    func upgradeDeclined() {
        self.parser.resume()
        self.pausedForRequests = false
        self.resumeReading()
    }
}
