import AioWire
import HTTPTypes
import Logging
import NIOCore

/// The HTTP/1.1 protocol work of one connection, on its event loop: parsing, dispatching
/// requests in order, body back-pressure, writing responses, keep-alive, timeouts.
///
/// Requests go to the connection's request loop (``HTTPServerConnection``) through a bounded
/// sequence; when it holds `maxPipelinedRequests`, or a body reader is slow, the handler stops
/// reading from the socket until there is demand again.
final class HTTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = IOData

    /// The request being received, while its body is still arriving.
    struct Receiving {
        var sequence: Int
        var source: RequestBody.Producer.Source?
        var received = 0
        var expectsContinue: Bool
    }

    let configuration: ServerConfiguration
    let connectionInfo: ConnectionInfo
    let logger: Logger
    let observers: ServerObservers
    /// The responder's ``HTTPResponder/respondImmediately(to:)``, asked to answer bodiless
    /// requests right where they are parsed when handlers run on the event loop. Kept as a
    /// closure: calling through a stored optional existential copies and destroys it through
    /// runtime type metadata on every request.
    let respondImmediately: (@Sendable (ServerRequest) -> ImmediateResponse?)?
    /// The executor the request loop runs on, when handlers run on the event loop: a request
    /// for the waiting loop is answered inline (see ``EventLoopTaskExecutor/resumeInline(_:)``).
    private let requestLoopExecutor: EventLoopTaskExecutor?
    // The state below belongs to the connection's event loop and no method of the handler
    // passes a property inout to code that reaches the handler again: its dynamic exclusivity
    // checks (a thread-local access set, per access) are left out, 14 per request, ~2% of a
    // hello-world request.
    @exclusivity(unchecked) var parser: HTTPRequestParser
    @exclusivity(unchecked) private var input = ByteBuffer()
    private(set) var context: ChannelHandlerContext!
    /// Items for the request loop, and the loop when it waits for one.
    @exclusivity(unchecked) private var items = ConnectionItemQueue()
    /// Responses owed, oldest first.
    @exclusivity(unchecked) var pending = CircularBuffer<ResponseState>(initialCapacity: 4)
    /// The sequence number of the oldest owed response: requests are numbered as they come and
    /// answered in order. (Comparing numbers costs no reference count, unlike reading the queue.)
    @exclusivity(unchecked) var oldestPending = 0
    @exclusivity(unchecked) var receiving: Receiving?

    /// When the body of request `sequence` is still arriving: the bytes still to come, or nil
    /// when its length is unknown. Nil when that body is complete.
    func bodyStillArriving(for sequence: Int) -> Int?? {
        guard let receiving = self.receiving, receiving.sequence == sequence,
            let state = self.pending.first(where: { $0.sequence == sequence })
        else { return .none }
        return .some(state.requestFraming.remaining(after: receiving.received))
    }
    @exclusivity(unchecked) private var nextSequence = 0
    @exclusivity(unchecked) private var pausedForRequests = false
    @exclusivity(unchecked) private var pausedForBody = false
    /// Whether the channel reads on its own (`autoRead`): off while requests or a body wait
    /// for their consumer, or once no more requests are read.
    @exclusivity(unchecked) private var reading = true
    /// No more requests are read: the last one asked to close, or the input is broken.
    @exclusivity(unchecked) var stopReading = false
    /// Close once every owed response is written (graceful shutdown, errors).
    @exclusivity(unchecked) var closeWhenDone = false
    @exclusivity(unchecked) private(set) var closed = false
    /// Set once a response switched protocols: every byte read from then on is the new protocol's.
    @exclusivity(unchecked) private(set) var upgraded = false
    /// One timer watches both the idle and the head deadlines; moving a deadline later costs no
    /// rescheduling, the timer re-arms itself when it fires early.
    ///
    /// Timers hold the handler strongly and are cancelled when the channel goes inactive: a weak
    /// reference would give the handler a side table, which makes every retain and release of
    /// it on the request path take the runtime's slow path (6% of a hello-world request).
    @exclusivity(unchecked) var connectionTimer: (task: Scheduled<Void>, deadline: NIODeadline)?
    /// The idle and head deadlines that timer watches.
    @exclusivity(unchecked) var deadlines: ConnectionDeadlines
    /// The time, read once for all the requests of one read: the timeouts need no finer clock.
    @exclusivity(unchecked) var readTime: NIODeadline?
    var bodyTimer: Scheduled<Void>?
    var writeTimer: Scheduled<Void>?
    @exclusivity(unchecked) var dates = DateCache()
    /// The buffer of the last response head, taken again for the next one: once the socket has
    /// taken its bytes (at once, for a small response) nothing else holds it, so a keep-alive
    /// connection writes its responses without allocating.
    @exclusivity(unchecked) var spareOutput: ByteBuffer?
    /// The state of the last response answered on the spot, for the next request.
    @exclusivity(unchecked) private var spareState: ResponseState?
    /// Set while the requests of one read are handled: responses written meanwhile are flushed
    /// together at its end, one write to the socket for a batch of pipelined requests.
    @exclusivity(unchecked) var batchingWrites = false
    /// A response was written during the batch and waits for its flush.
    @exclusivity(unchecked) var flushPending = false
    /// The last write of the batch, which goes out with the flush (see ``write(_:flush:promise:)``).
    ///
    /// Held as `IOData`, wrapped for the pipeline only when it goes: a held `NIOAny` (an
    /// existential inside) is copied and destroyed through runtime type metadata.
    @exclusivity(unchecked) var heldWrite: (data: IOData, promise: EventLoopPromise<Void>?)?
    /// A flush is scheduled for when the loop next gets control (see ``write(_:flush:promise:)``).
    @exclusivity(unchecked) var flushScheduled = false
    /// Whether pipelined requests wait for the request loop, which answers them next.
    var hasQueuedRequests: Bool { !self.items.isEmpty }

    init(
        configuration: ServerConfiguration,
        connectionInfo: ConnectionInfo,
        logger: Logger,
        observers: ServerObservers,
        immediateResponder: (any HTTPResponder)? = nil,
        requestLoopExecutor: EventLoopTaskExecutor? = nil
    ) {
        self.requestLoopExecutor = requestLoopExecutor
        self.configuration = configuration
        self.deadlines = ConnectionDeadlines(idleTimeout: configuration.idleTimeout, headTimeout: configuration.headReadTimeout)
        self.connectionInfo = connectionInfo
        self.logger = logger
        self.observers = observers
        if let immediateResponder {
            self.respondImmediately = { request in immediateResponder.respondImmediately(to: request) }
        } else {
            self.respondImmediately = nil
        }
        var parser = configuration.parser
        parser.scheme = connectionInfo.isSecure ? "https" : "http"
        self.parser = HTTPRequestParser(configuration: parser)
    }

    // MARK: The request queue

    /// Hands `item` to the request loop, or keeps it; reading stops once `maxPipelinedRequests`
    /// wait.
    private func enqueue(_ item: ConnectionItem) {
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

    private func finishQueue() {
        self.items.finish()?.resume(returning: nil)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        self.observers.metrics.connectionOpened()
        self.startIdleTimer()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.observers.metrics.connectionClosed()
        self.closed = true
        self.cancelTimers()
        if let source = self.receiving?.source {
            source.finish(ConnectionClosed())
        }
        self.receiving = nil
        self.finishQueue()
        for state in self.pending { state.connectionClosed() }
        self.pending.removeAll()
        self.oldestPending = self.nextSequence
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        if self.stopReading { return }
        if self.upgraded {
            self.receivedBody(bytes)
            self.updateReading()
            return
        }
        self.batchingWrites = true
        self.deadlines.clearIdle()
        if self.input.readableBytes == 0 {
            self.input = bytes
        } else {
            self.input.writeBuffer(&bytes)
        }
        self.process()
        self.batchingWrites = false
        self.readTime = nil
        if self.flushPending {
            self.flushPending = false
            if let held = self.heldWrite.take() {
                context.writeAndFlush(self.wrapOutboundOut(held.data), promise: held.promise)
            } else {
                context.flush()
            }
        }
    }

    /// Ends a read here: this handler is the pipeline's last, and forwarding to its tail costs
    /// a pass for nothing.
    func channelReadComplete(context: ChannelHandlerContext) {}

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.writeTimer?.cancel()
            self.writeTimer = nil
            for state in self.pending { state.writabilityReturned() }
        } else if let timeout = self.configuration.writeTimeout, self.writeTimer == nil {
            self.writeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .init(timeout)) {
                self.logger.debug("closing a connection whose writes stalled")
                self.context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            self.quiesce()
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            // The peer half-closed: finish what is buffered, then close once answered.
            self.stopReading = false
            self.endOfInput()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Parsing

    /// Decodes buffered input until it is used up, or back-pressure stops it.
    private func process() {
        while !self.pausedForRequests && !self.pausedForBody && !self.stopReading && !self.closed && !self.upgraded {
            let event: HTTPParserEvent<HTTPRequestHead>
            do {
                guard let next = try self.parser.decode(buffer: &self.input) else { break }
                event = next
            } catch {
                self.parseFailed(error)
                return
            }
            switch consume event {
            case .head(let head): self.received(head)
            case .body(let bytes): self.receivedBody(bytes)
            case .end: self.receivedEnd()
            }
        }
        if self.input.readableBytes == 0 {
            // Let go of the read buffer (no allocation): NIO's receive pool reuses it when
            // nothing else holds it.
            self.input = ByteBuffer()
        }
        self.updateReading()
        // Part of a head is in and waits for the client: from now on it has to be complete in
        // time. (A head read whole never starts the timer; requests held back while the
        // handler catches up wait for us, not for the client.)
        if self.deadlines.head == nil, self.receiving == nil, !self.pausedForRequests, !self.stopReading, !self.upgraded,
            self.input.readableBytes > 0 || !self.parser.isIdle
        {
            self.startHeadTimer()
        } else if self.deadlines.idle == nil, self.input.readableBytes == 0, self.isIdle, !self.stopReading, !self.upgraded {
            // Every request of the read was answered where it was parsed (the response finished
            // before the parser reached the end of its message): the connection is idle now.
            self.startIdleTimer()
        }
    }

    private func received(_ head: consuming HTTPRequestHead) {
        self.deadlines.clearHead()
        if let limit = self.configuration.maxRequestBodySize, case .contentLength(let length) = head.framing,
            length > limit
        {
            self.refuse(PayloadTooLarge(limit: limit))
            return
        }
        let sequence = self.nextSequence
        self.nextSequence += 1
        let method = head.request.method
        let state: ResponseState
        if let spare = self.spareState.take() {
            spare.start(
                request: head,
                method: method,
                sequence: sequence,
                observed: self.observers.isRecording,
                logged: self.observers.accessLog != nil
            )
            state = spare
        } else {
            state = ResponseState(
                request: head,
                method: method,
                sequence: sequence,
                observed: self.observers.isRecording,
                logged: self.observers.accessLog != nil
            )
        }
        self.pending.append(state)
        if !head.keepAlive || method == .connect {
            state.closeAfter = true
        }
        var body = RequestBody.empty
        switch head.framing {
        case .empty, .contentLength(0), .untilClose:
            break
        case .contentLength, .chunked:
            let made = RequestBody.Producer.makeSequence(
                backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8),
                finishOnDeinit: false,
                delegate: Demand(stream: .body(sequence), handler: NIOLoopBound(self, eventLoop: self.context.eventLoop))
            )
            var expected: Int?
            if case .contentLength(let length) = head.framing { expected = length }
            body = RequestBody(storage: .stream(made.sequence), expectedLength: expected)
            self.receiving = Receiving(sequence: sequence, source: made.source, expectsContinue: head.expectsContinue)
            self.startBodyTimer()
        }
        let request = ServerRequest(head: consume head, method: method, body: body, connection: self.connectionInfo)
        if self.answeredImmediately(request, state: state) { return }
        self.enqueue(.request(request, NIOLoopBound(state, eventLoop: self.context.eventLoop)))
    }

    /// Lets the immediate responder answer `request` on the spot, when it has no body, is not an
    /// upgrade, and no earlier response is owed; returns whether the request is taken care of.
    private func answeredImmediately(_ request: ServerRequest, state: ResponseState) -> Bool {
        guard self.pending.count == 1, request.body.expectedLength == 0, !request.head.isUpgrade,
            let answer = self.respondImmediately?(request)
        else { return false }
        do {
            switch consume answer {
            case .whole(let response, let body):
                try self.writeWhole(response, body: body, state: state)
            case .text(let response, let text):
                try self.writeWhole(response, text: text, state: state)
            case .later(let rest):
                self.enqueue(.rest(rest, NIOLoopBound(state, eventLoop: self.context.eventLoop)))
                return true
            }
            // Written whole: nothing holds the state any more.
            self.spareState = state
        } catch {
            // A refused response (an interim status) is answered with 500; a failed write means
            // the connection is gone, and its closing does the rest.
            self.responderFailed(error, state: state)
        }
        return true
    }

    private func receivedBody(_ bytes: ByteBuffer) {
        guard var receiving = self.receiving else { return }
        receiving.received += bytes.readableBytes
        if !self.upgraded, let limit = self.configuration.maxRequestBodySize, receiving.received > limit {
            receiving.source?.finish(PayloadTooLarge(limit: limit))
            self.receiving = nil
            self.pending.last?.closeAfter = true
            self.stopReading = true
            return
        }
        // Stored before the reader may run: in a switched protocol it runs inline, within yield.
        self.receiving = receiving
        guard let source = receiving.source else { return }
        self.restartBodyTimer()
        let result: RequestBody.Producer.Source.YieldResult
        if self.upgraded, let executor = self.requestLoopExecutor {
            // A reader waiting for the next WebSocket frame (say) handles it right away, its
            // answer written within this read, instead of after a hop through the event loop.
            // (Not for a request body, whose reader could reenter the parser from within it.)
            var yielded: RequestBody.Producer.Source.YieldResult?
            executor.resumeInline { yielded = source.yield(bytes) }
            result = yielded!
        } else {
            result = source.yield(bytes)
        }
        // The reader, run inline, may have closed the connection or dropped the body.
        if result == .stopProducing, !self.closed, self.receiving?.sequence == receiving.sequence {
            self.pausedForBody = true
            self.bodyTimer?.cancel()
            self.bodyTimer = nil
        }
    }

    private func receivedEnd() {
        if let receiving = self.receiving {
            receiving.source?.finish()
            self.receiving = nil
            self.bodyTimer?.cancel()
            self.bodyTimer = nil
            self.pausedForBody = false
        }
        if let last = self.pending.last, last.closeAfter {
            // No request after one that closes the connection is read (RFC 9112 §9.6).
            self.stopReading = true
        } else if self.parser.isUpgraded {
            // Wait for the answer: the bytes behind an upgrade may not be HTTP.
            self.pausedForRequests = true
            self.pending.last?.upgradeRequested = true
        }
    }

    private func parseFailed(_ error: any Error) {
        self.stopReading = true
        let processing = error as? any HTTPProcessingError ?? BadHTTPMessage("\(error)")
        if let receiving = self.receiving {
            // The request is already with its handler: its body read fails, and the connection
            // closes after its response.
            receiving.source?.finish(processing)
            self.receiving = nil
            self.pending.last?.closeAfter = true
        } else {
            self.refuse(processing)
        }
    }

    /// Answers the next request slot with `error` and closes after it.
    func refuse(_ error: any HTTPProcessingError) {
        self.stopReading = true
        let head = HTTPRequestHead(request: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/"))
        let state = ResponseState(
            request: head,
            method: .get,
            sequence: self.nextSequence,
            observed: self.observers.isRecording,
            logged: self.observers.accessLog != nil
        )
        state.closeAfter = true
        self.nextSequence += 1
        self.pending.append(state)
        self.enqueue(.failure(error, NIOLoopBound(state, eventLoop: self.context.eventLoop)))
    }

    private func endOfInput() {
        if self.upgraded {
            // The new protocol's input ended; the connection closes when its handler is done.
            self.receiving?.source?.finish()
            self.receiving = nil
            self.stopReading = true
            self.closeWhenDone = true
            return
        }
        do {
            while let event = try self.parser.decodeLast(buffer: &self.input, seenEOF: true) {
                switch event {
                case .head(let head): self.received(head)
                case .body(let bytes): self.receivedBody(bytes)
                case .end: self.receivedEnd()
                }
            }
        } catch {
            // A request cut short by the peer: nobody is left to answer.
            if let receiving = self.receiving {
                receiving.source?.finish(error)
                self.receiving = nil
            }
        }
        self.stopReading = true
        self.closeWhenDone = true
        self.closeIfDone()
    }

    // MARK: Demand

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

    private func resumeReading() {
        guard !self.closed else { return }
        self.process()
    }

    /// Turns the channel's reading on or off to match what the requests need. Back-pressure by
    /// `autoRead` rather than by holding back `read` events: a handler that sees every `read`
    /// adds a pass through the pipeline to each request.
    private func updateReading() {
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

    // MARK: Writing

    private func sendContinue(for sequence: Int) {
        guard let state = self.pending.first(where: { $0.sequence == sequence }), !state.headWritten else { return }
        state.continueSent = true
        var buffer = self.context.channel.allocator.buffer(capacity: 25)
        buffer.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
        self.write(.byteBuffer(buffer), flush: true, promise: nil)
    }

    // MARK: Shutdown and timers

    func quiesce() {
        self.closeWhenDone = true
        self.closeIfDone()
    }

    func closeIfDone() {
        if self.closeWhenDone, self.pending.isEmpty, !self.closed {
            self.closeAfterWrites()
        }
    }
}

extension HTTPBodyFraming {
    /// Body bytes still to come after `received`, when the framing says.
    func remaining(after received: Int) -> Int? {
        if case .contentLength(let length) = self { return length - received }
        return nil
    }
}

