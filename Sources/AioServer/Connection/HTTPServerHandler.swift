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
    /// The connection's facts; a PROXY protocol header replaces them before the first request.
    var connectionInfo: ConnectionInfo
    let logger: Logger
    let observers: ServerObservers
    /// The responder's ``HTTPResponder/respondImmediately(to:)``, asked to answer bodiless
    /// requests right where they are parsed when handlers run on the event loop. Kept as a
    /// closure: calling through a stored optional existential copies and destroys it through
    /// runtime type metadata on every request.
    let respondImmediately: (@Sendable (ServerRequest) -> ImmediateResponse?)?
    /// The executor the request loop runs on, when handlers run on the event loop: a request
    /// for the waiting loop is answered inline (see ``EventLoopTaskExecutor/resumeInline(_:)``).
    let requestLoopExecutor: EventLoopTaskExecutor?
    // The state below belongs to the connection's event loop and no method of the handler
    // passes a property inout to code that reaches the handler again: its dynamic exclusivity
    // checks (a thread-local access set, per access) are left out, 14 per request, ~2% of a
    // hello-world request.
    @exclusivity(unchecked) var parser: HTTPRequestParser
    @exclusivity(unchecked) var input = ByteBuffer()
    private(set) var context: ChannelHandlerContext!
    /// Items for the request loop, and the loop when it waits for one.
    @exclusivity(unchecked) var items = ConnectionItemQueue()
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
    @exclusivity(unchecked) var nextSequence = 0
    @exclusivity(unchecked) var pausedForRequests = false
    @exclusivity(unchecked) var pausedForBody = false
    /// Whether the channel reads on its own (`autoRead`): off while requests or a body wait
    /// for their consumer, or once no more requests are read.
    @exclusivity(unchecked) var reading = true
    /// No more requests are read: the last one asked to close, or the input is broken.
    @exclusivity(unchecked) var stopReading = false
    /// Close once every owed response is written (graceful shutdown, errors).
    @exclusivity(unchecked) var closeWhenDone = false
    @exclusivity(unchecked) var closed = false
    /// Set once a response switched protocols: every byte read from then on is the new protocol's.
    @exclusivity(unchecked) var upgraded = false
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
    @exclusivity(unchecked) var spareState: ResponseState?
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
            self.endOfInput()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Shutdown and timers

    /// The server is shutting down: the connection closes once it has answered. An idle one
    /// waits ``ServerConfiguration/drainIdleTimeout`` for a request a client may have sent
    /// already (answered with `Connection: close`) rather than cut it off; one whose request head
    /// is half read has the head timeout to finish it.
    func quiesce() {
        self.closeWhenDone = true
        guard self.pending.isEmpty, self.parser.isIdle, !self.closed else { return }
        let drain = self.configuration.drainIdleTimeout
        guard drain > .zero, !self.upgraded else {
            self.closeAfterWrites()
            return
        }
        self.deadlines.shortenIdle(to: self.now() + TimeAmount(drain))
        self.armConnectionTimer()
    }

    func closeIfDone() {
        if self.closeWhenDone, self.pending.isEmpty, !self.closed {
            self.closeAfterWrites()
        }
    }
}
