import AioWire
import HTTPTypes
import NIOCore

/// Parsing, on the event loop: bytes to requests and their bodies, requests to the request loop
/// (or answered on the spot), and the errors that stop a connection.
extension HTTPServerHandler {
    /// Decodes buffered input until it is used up, or back-pressure stops it.
    func process() {
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

    func received(_ head: consuming HTTPRequestHead) {
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
        let forwarded = self.configuration.forwarded?.client(peer: self.connectionInfo.remoteAddress, fields: head.request.headerFields)
        state.forwardedAddress = forwarded.map { $0.address }
        let request = ServerRequest(head: consume head, method: method, body: body, connection: self.connectionInfo, forwarded: forwarded)
        if self.answeredImmediately(request, state: state) { return }
        self.enqueue(.request(request, NIOLoopBound(state, eventLoop: self.context.eventLoop)))
    }

    /// Lets the immediate responder answer `request` on the spot, when it has no body, is not an
    /// upgrade, and no earlier response is owed; returns whether the request is taken care of.
    func answeredImmediately(_ request: ServerRequest, state: ResponseState) -> Bool {
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

    func receivedBody(_ bytes: ByteBuffer) {
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

    func receivedEnd() {
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

    func parseFailed(_ error: any Error) {
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

    func endOfInput() {
        if self.upgraded {
            // The new protocol's input ended; the connection closes when its handler is done.
            self.receiving?.source?.finish()
            self.receiving = nil
            self.stopReading = true
            self.closeWhenDone = true
            return
        }
        do {
            // What is buffered is finished, unless no request is read any more: none after one
            // that closes the connection (RFC 9112 §9.6), or after an error.
            while !self.stopReading, !self.closed, let event = try self.parser.decodeLast(buffer: &self.input, seenEOF: true) {
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
}

extension HTTPBodyFraming {
    /// Body bytes still to come after `received`, when the framing says.
    func remaining(after received: Int) -> Int? {
        if case .contentLength(let length) = self { return length - received }
        return nil
    }
}
