import AioWire
#if canImport(Glibc)
import Glibc
#endif
import HTTPTypes
import NIOCore
import NIOSSL

/// What a request's exchange learns first: the response's head, and its body as it arrives.
struct ResponseStart: Sendable {
    let head: HTTPResponseHead
    let body: ResponseBodyStream
}

/// One request on a connection, from the first byte written to the end of its response.
///
/// Unchecked: made by the requesting task, then read and changed only on the connection's event
/// loop.
final class Exchange: @unchecked Sendable {
    let method: HTTPRequest.Method
    let promise: EventLoopPromise<ResponseStart>
    /// For errors: the host and the URL.
    let host: String
    let url: String
    let readTimeout: Double?
    let totalDeadline: (at: NIODeadline, seconds: Double)?
    let highWatermark: Int
    /// Whether the request has been written whole.
    var requestSent = false
    /// Whether the response ended before the request was written whole: the connection waits
    /// for the rest of the request before it can serve another.
    var parked = false
    var receivedAny = false
    var head: HTTPResponseHead?
    var body: ResponseBodyStream?
    /// Whether the head has been handed over.
    var started = false
    var readTimer: Scheduled<Void>?
    /// With `Expect: 100-continue`: settled true when the body may go (a 100, or no answer
    /// within ``continueWait``), false when a final answer came first.
    var continueDecision: EventLoopPromise<Bool>?
    /// How long the body waits for an answer to `Expect: 100-continue`.
    var continueWait = TimeAmount.seconds(1)
    var continueTimer: Scheduled<Void>?
    /// Whether the body was never sent (a final answer came instead of 100 Continue): the
    /// server may still be waiting for it, so the connection cannot serve another request.
    var withheld = false
    /// Whether the message being parsed is an interim (1xx) answer.
    var inInterim = false

    init(
        method: HTTPRequest.Method,
        promise: EventLoopPromise<ResponseStart>,
        host: String,
        url: String,
        readTimeout: Double?,
        totalDeadline: (at: NIODeadline, seconds: Double)?,
        highWatermark: Int
    ) {
        self.method = method
        self.promise = promise
        self.host = host
        self.url = url
        self.readTimeout = readTimeout
        self.totalDeadline = totalDeadline
        self.highWatermark = highWatermark
    }
}

/// The client side of one HTTP/1.1 connection, on its event loop: sends a request's bytes,
/// parses the response with AioWire's ``HTTPResponseParser``, hands the head over once the
/// whole read is parsed (a small response arrives with its body complete) and streams the rest
/// with back-pressure. One exchange at a time; between them the connection idles in the pool.
final class HTTPClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Told on the event loop when the connection can take another request (true) or is gone
    /// (false).
    var onIdle: ((Bool) -> Void)?

    private var parser: HTTPResponseParser
    private var buffer = ByteBuffer()
    private var exchange: Exchange?
    private var context: ChannelHandlerContext?
    private var heldRead = false
    private var isClosed = false
    /// The error that closed the connection, for the exchange it ends.
    private var failure: (any Error)?
    /// The timer for the exchanges' total deadlines, and when it fires.
    private var deadlineTimer: Scheduled<Void>?
    private var deadlineTimerAt: NIODeadline?

    init(configuration: HTTPParserConfiguration) {
        self.parser = HTTPResponseParser(configuration: configuration)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Exchanges

    /// Starts `exchange`, writing `head` and `body` (when the body is in memory); with
    /// `streamed`, the body follows through the channel, then ``requestFinished(_:)``.
    func start(_ exchange: Exchange, head: ByteBuffer, body: ByteBuffer?, streamed: Bool) {
        guard let context, !self.isClosed, self.exchange == nil else {
            self.decideContinue(exchange, false)
            exchange.promise.fail(ServerDisconnectedError("Server disconnected before the request was sent", nothingReceived: true))
            return
        }
        self.exchange = exchange
        self.parser.expectResponse(to: exchange.method)
        if let deadline = exchange.totalDeadline { self.armDeadlineTimer(for: deadline.at, context: context) }
        if exchange.continueDecision != nil {
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            exchange.continueTimer = context.eventLoop.scheduleTask(in: exchange.continueWait) {
                handler.value.decideContinue(exchange, true)
            }
        }
        guard let body else {
            context.writeAndFlush(self.wrapOutboundOut(head), promise: nil)
            if !streamed { self.requestFinished(exchange) }
            return
        }
        context.write(self.wrapOutboundOut(head), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(body), promise: written)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        written.futureResult.whenSuccess { handler.value.requestFinished(exchange) }
    }

    /// Records that the request has been written whole: the read timeout starts now (a slow
    /// upload is not a slow server), and a connection whose response already ended is free.
    func requestFinished(_ exchange: Exchange) {
        exchange.requestSent = true
        if self.exchange === exchange {
            self.armReadTimer(exchange)
        } else if exchange.parked {
            exchange.parked = false
            if self.isClosed { return }
            self.onIdle?(true)
        }
    }

    /// Settles whether the body of a request sent with `Expect: 100-continue` goes out.
    private func decideContinue(_ exchange: Exchange, _ proceed: Bool) {
        guard let decision = exchange.continueDecision else { return }
        exchange.continueDecision = nil
        exchange.continueTimer?.cancel()
        exchange.continueTimer = nil
        decision.succeed(proceed)
    }

    /// The body of `exchange` will never be sent (a final answer came instead of 100 Continue):
    /// the connection closes once the response has been read.
    func requestWithheld(_ exchange: Exchange) {
        exchange.withheld = true
        if exchange.parked {
            exchange.parked = false
            self.context?.close(promise: nil)
        }
    }

    /// The request's streamed body failed (`error`): the exchange ends, and a connection whose
    /// response already ended cannot be reused (the body is cut short).
    func requestFailed(_ exchange: Exchange, _ error: any Error) {
        if exchange.parked {
            exchange.parked = false
            self.context?.close(promise: nil)
        } else {
            self.abort(exchange, error)
        }
    }

    /// Reads again after the reader of a paused body caught up.
    func resumeReading() {
        guard self.heldRead, let context else { return }
        self.heldRead = false
        if let exchange = self.exchange { self.armReadTimer(exchange) }
        context.read()
    }

    /// Records why this side is closing the connection: an exchange still running fails with
    /// `reason`.
    func noteClosing(because reason: any Error) {
        if self.failure == nil { self.failure = reason }
    }

    /// Closes the connection, failing `exchange` with `error` if it is still the current one.
    func abort(_ exchange: Exchange, _ error: any Error) {
        guard self.exchange === exchange else { return }
        self.failure = error
        self.context?.close(promise: nil)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        guard let exchange = self.exchange else {
            // Bytes nobody asked for: the connection cannot be trusted with another request.
            context.close(promise: nil)
            return
        }
        exchange.receivedAny = true
        if self.buffer.readableBytes == 0 {
            self.buffer = bytes
        } else {
            self.buffer.writeBuffer(&bytes)
        }
        self.armReadTimer(exchange)
        do {
            while self.exchange === exchange, let event = try self.parser.decode(buffer: &self.buffer) {
                try self.handle(event, exchange, context: context)
            }
        } catch {
            // A head followed by a bad body in the same read: the caller gets the head, its
            // reader the error.
            if exchange.head != nil, !exchange.started { self.hand(exchange) }
            self.fail(exchange, error, context: context)
            return
        }
        if exchange.head != nil, !exchange.started { self.hand(exchange) }
    }

    func read(context: ChannelHandlerContext) {
        if let body = self.exchange?.body, body.shouldPause() {
            self.heldRead = true
            self.exchange?.readTimer?.cancel()
            return
        }
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.failure == nil { self.failure = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isClosed = true
        self.deadlineTimer?.cancel()
        self.deadlineTimer = nil
        if let exchange = self.exchange {
            if exchange.head != nil, self.failure == nil {
                // A body delimited by the close ends here; anything else cut short is an error.
                do {
                    while self.exchange === exchange, let event = try self.parser.decodeLast(buffer: &self.buffer, seenEOF: true) {
                        try self.handle(event, exchange, context: context)
                    }
                } catch {
                    self.failure = error
                }
            }
            if self.exchange === exchange {
                self.fail(exchange, self.failure ?? ConnectionClosed(), context: context)
            }
        }
        self.onIdle?(false)
        self.onIdle = nil
        context.fireChannelInactive()
    }

    // MARK: Parsing

    private func handle(_ event: HTTPParserEvent<HTTPResponseHead>, _ exchange: Exchange, context: ChannelHandlerContext) throws {
        switch event {
        case .head(let head):
            // A switch nobody asked for (the WebSocket client upgrades on its own connection).
            guard head.response.status.code != 101 else {
                throw MalformedResponseError("The server switched protocols without being asked to", host: exchange.host)
            }
            // 100 Continue and other interim answers: the final one follows.
            if head.isInformational {
                if head.response.status.code == 100 { self.decideContinue(exchange, true) }
                exchange.inInterim = true
                return
            }
            self.decideContinue(exchange, false)
            exchange.head = head
            let eventLoop = context.eventLoop
            let handler = NIOLoopBound(self, eventLoop: eventLoop)
            exchange.body = ResponseBodyStream(
                highWatermark: exchange.highWatermark,
                demand: { eventLoop.execute { handler.value.resumeReading() } },
                // Only while this exchange is the connection's: once its body ended the
                // connection may already serve another request.
                abort: { eventLoop.execute { handler.value.abort(exchange, CancellationError()) } }
            )
        case .body(let part):
            exchange.body?.append(part)
        case .end:
            // The end of an interim answer (it has no body): the final one follows.
            if exchange.inInterim {
                exchange.inInterim = false
                return
            }
            self.complete(exchange, context: context)
        }
    }

    /// The response ended whole: free the connection, then end the body and hand the response
    /// over if not done yet. In that order: the caller, woken, may send its next request at once,
    /// and it should find this connection back in the pool.
    private func complete(_ exchange: Exchange, context: ChannelHandlerContext) {
        self.exchange = nil
        exchange.readTimer?.cancel()
        let reusable = exchange.head?.keepAlive == true && self.buffer.readableBytes == 0 && !self.isClosed && !exchange.withheld
        if reusable, exchange.requestSent {
            self.onIdle?(true)
        } else if reusable {
            // The server answered before the whole request was written (a 413 to an upload):
            // the connection is free once the rest has gone out.
            exchange.parked = true
        } else if !self.isClosed {
            context.close(promise: nil)
        }
        exchange.body?.finish()
        if !exchange.started { self.hand(exchange) }
    }

    private func hand(_ exchange: Exchange) {
        guard let head = exchange.head, let body = exchange.body else { return }
        exchange.started = true
        exchange.promise.succeed(ResponseStart(head: head, body: body))
    }

    private func fail(_ exchange: Exchange, _ error: any Error, context: ChannelHandlerContext) {
        guard self.exchange === exchange else { return }
        self.exchange = nil
        exchange.readTimer?.cancel()
        // A body still waiting for 100 Continue is never sent; the exchange's error says why.
        self.decideContinue(exchange, false)
        if exchange.started {
            let failure: any Error = error is any ClientError ? error : ClientPayloadError("the body was cut short", underlying: error)
            exchange.body?.finish(failure)
        } else {
            exchange.promise.fail(Self.headFailure(error, exchange))
        }
        if !self.isClosed { context.close(promise: nil) }
    }

    /// What a failure before the head means to the caller.
    private static func headFailure(_ error: any Error, _ exchange: Exchange) -> any Error {
        switch error {
        case let error as any ClientError: return error
        case is ConnectionClosed: return ServerDisconnectedError(nothingReceived: !exchange.receivedAny)
        case let error as any HTTPProcessingError: return MalformedResponseError("\(error)", host: exchange.host)
        case let error as IOError where error.errnoCode == ECONNRESET || error.errnoCode == EPIPE:
            return ServerDisconnectedError("Connection reset by the server", nothingReceived: !exchange.receivedAny)
        case NIOSSLError.uncleanShutdown:
            return ServerDisconnectedError("The server closed the TLS connection without close_notify", nothingReceived: !exchange.receivedAny)
        default: return ClientConnectionResetError(underlying: error)
        }
    }

    /// Arms the connection's one deadline timer for `deadline` unless it fires earlier already.
    /// Not cancelled when an exchange ends: when it fires it checks the exchange then current,
    /// and re-arms for a later deadline. Scheduling and cancelling a timer per request would cost
    /// more than the request's own work in the handler.
    private func armDeadlineTimer(for deadline: NIODeadline, context: ChannelHandlerContext) {
        if let armed = self.deadlineTimerAt, armed <= deadline { return }
        self.deadlineTimer?.cancel()
        self.deadlineTimerAt = deadline
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.deadlineTimer = context.eventLoop.scheduleTask(deadline: deadline) { handler.value.deadlineTimerFired() }
    }

    private func deadlineTimerFired() {
        self.deadlineTimer = nil
        self.deadlineTimerAt = nil
        guard let exchange = self.exchange, let deadline = exchange.totalDeadline, let context else { return }
        if deadline.at <= .now() {
            self.abort(exchange, TotalTimeoutError(url: exchange.url, seconds: deadline.seconds))
        } else {
            self.armDeadlineTimer(for: deadline.at, context: context)
        }
    }

    /// (Re)starts the read timeout, once the request is written: it measures the server.
    private func armReadTimer(_ exchange: Exchange) {
        guard let seconds = exchange.readTimeout, exchange.requestSent, let context else { return }
        exchange.readTimer?.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        exchange.readTimer = context.eventLoop.scheduleTask(in: .seconds(clamping: seconds)) {
            handler.value.abort(exchange, SocketTimeoutError(host: exchange.host, seconds: seconds))
        }
    }

    /// The connection closed with no other error.
    private struct ConnectionClosed: Error {}
}
