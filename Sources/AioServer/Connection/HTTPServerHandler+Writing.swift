import AioWire
import HTTPTypes
import NIOCore

/// Writing responses, in request order, on the event loop.
extension HTTPServerHandler {
    /// Writes a whole response with a buffered body.
    func writeWhole(_ response: HTTPResponse, body: ByteBuffer, state: ResponseState) throws {
        try self.writeWhole(response, bodyLength: body.readableBytes, state: state) { buffer, status, fields, inline in
            let headLength = buffer.writeResponseHead(response, status: status, serverFields: fields)
            if inline { buffer.writeImmutableBuffer(body) }
            return headLength
        } separately: {
            body
        }
    }

    /// Writes a whole response with `text` in UTF-8 as its body.
    func writeWhole(_ response: HTTPResponse, text: String, state: ResponseState) throws {
        try self.writeWhole(response, bodyLength: text.utf8.count, state: state) { buffer, status, fields, inline in
            inline
                ? buffer.writeResponse(response, status: status, serverFields: fields, text: text)
                : buffer.writeResponseHead(response, status: status, serverFields: fields)
        } separately: {
            ByteBuffer(string: text)
        }
    }

    /// Writes a whole response whose body of `bodyLength` bytes `write` puts into the head's
    /// buffer after the head when small (`inline`), and `separately` gives as a buffer of its own
    /// when large; `write` returns the length of the head.
    private func writeWhole(
        _ response: HTTPResponse,
        bodyLength: Int,
        state: ResponseState,
        write: (inout ByteBuffer, HTTPResponse.Status, ServerFields, _ inline: Bool) -> Int,
        separately: () -> ByteBuffer
    ) throws {
        try self.checkWritable(state)
        let status = response.status
        guard status.code >= 200 else { throw InterimStatusAsResponse(code: status.code) }
        let (framing, fields) = self.prepare(response, status: status.code, state: state, bodyLength: bodyLength)
        state.headWritten = true
        let inline = framing != .none && bodyLength <= 16384
        var buffer = self.takeHeadBuffer(for: response, extra: inline ? bodyLength : 0)
        state.headBytes = write(&buffer, status, fields, inline)
        if framing == .none || inline {
            self.write(.byteBuffer(buffer), flush: true, promise: nil)
        } else {
            self.write(.byteBuffer(buffer), flush: false, promise: nil)
            self.write(.byteBuffer(separately()), flush: true, promise: nil)
        }
        self.keepSpare(buffer)
        state.written = framing == .none ? 0 : bodyLength
        state.framing = framing
        self.responseFinished(state)
    }

    /// Writes the head of a streamed response; the body follows through ``writeBody(_:state:)``.
    func writeHead(_ response: HTTPResponse, contentLength: Int?, state: ResponseState) throws {
        try self.checkWritable(state)
        let status = response.status
        guard status.code >= 200 else { throw InterimStatusAsResponse(code: status.code) }
        let (framing, fields) = self.prepare(response, status: status.code, state: state, bodyLength: contentLength)
        state.framing = framing
        state.headWritten = true
        var buffer = self.takeHeadBuffer(for: response, extra: 0)
        state.headBytes = buffer.writeResponseHead(response, status: status, serverFields: fields)
        self.write(.byteBuffer(buffer), flush: true, promise: nil)
        self.keepSpare(buffer)
    }

    /// Answers the oldest request, which asked to upgrade, with `response` (`101 Switching
    /// Protocols`) and hands the connection over: the returned sequence gives what the client
    /// sends from now on, ``writeBody(_:state:)`` writes raw bytes, and finishing the response
    /// closes the connection.
    func switchProtocols(_ response: HTTPResponse, state: ResponseState) throws -> RequestBody {
        try self.checkWritable(state)
        guard response.status == .switchingProtocols, state.upgradeRequested else { throw UpgradeNotRequested() }
        var (_, fields) = self.prepare(response, status: 101, state: state, bodyLength: nil)
        // The response's own `Connection: upgrade` stands; the connection ends with the protocol.
        fields.connection = nil
        state.closeAfter = true
        state.framing = .untilClose
        state.headWritten = true
        var buffer = self.takeHeadBuffer(for: response, extra: 0)
        state.headBytes = buffer.writeResponseHead(response, serverFields: fields)
        self.write(.byteBuffer(buffer), flush: true, promise: nil)
        return self.upgradeAccepted(state)
    }

    /// Writes a piece of a streamed body; returns a future to wait on when the socket is full.
    func writeBody(_ body: ByteBuffer, state: ResponseState) throws -> EventLoopFuture<Void>? {
        try self.writeBody(.byteBuffer(body), state: state, promise: nil)
        // The write may have closed the connection (a reset peer): then no writability comes back.
        guard !self.closed else { throw ConnectionClosed() }
        return self.isWritable ? nil : state.waitForWritability(on: self.context.eventLoop)
    }

    /// Writes a file region of a streamed body; the future completes once it is on the socket,
    /// after which its file handle may be closed.
    func writeBody(_ region: FileRegion, state: ResponseState) throws -> EventLoopFuture<Void> {
        let promise = self.context.eventLoop.makePromise(of: Void.self)
        do {
            try self.writeBody(.fileRegion(region), state: state, promise: promise)
        } catch {
            promise.fail(error)
            throw error
        }
        return promise.futureResult
    }

    /// Frames and writes `data`, completing `promise` when it is written.
    private func writeBody(_ data: IOData, state: ResponseState, promise: EventLoopPromise<Void>?) throws {
        guard !self.closed else { throw ConnectionClosed() }
        precondition(state.headWritten && !state.finished, "body written outside of a streamed response")
        let count = data.readableBytes
        guard count > 0, state.framing != .none else {
            promise?.succeed()
            return
        }
        switch state.framing {
        case .none:
            break
        case .length(let length):
            guard state.written + count <= length else {
                throw ResponseBodyLengthMismatch(declared: length, written: state.written + count)
            }
            self.write(data, flush: true, promise: promise)
        case .chunked:
            var header = self.allocator.buffer(capacity: 18)
            ChunkedEncoder.writeChunkHeader(count: count, into: &header)
            self.write(.byteBuffer(header), flush: false, promise: nil)
            self.write(data, flush: false, promise: promise)
            var end = self.allocator.buffer(capacity: 2)
            ChunkedEncoder.writeChunkEnd(into: &end)
            self.write(.byteBuffer(end), flush: true, promise: nil)
        case .untilClose:
            self.write(data, flush: true, promise: promise)
        }
        state.written += count
    }

    /// Ends a streamed body, with trailers when chunked.
    func finishBody(trailers: HTTPFields?, state: ResponseState) throws {
        guard !self.closed else { throw ConnectionClosed() }
        precondition(state.headWritten && !state.finished, "finish outside of a streamed response")
        switch state.framing {
        case .chunked:
            var buffer = self.allocator.buffer(capacity: 64)
            try ChunkedEncoder.writeLastChunk(trailers: trailers, into: &buffer)
            self.write(.byteBuffer(buffer), flush: true, promise: nil)
        case .length(let length) where state.written != length:
            // The peer would wait for bytes that never come, or read ours as a response.
            state.closeAfter = true
        case .none, .length, .untilClose:
            break
        }
        self.responseFinished(state)
    }

    /// The responder returned: a response must have been written and finished.
    func responderReturned(_ state: ResponseState) {
        guard !state.finished, !self.closed else { return }
        if state.headWritten {
            // A streamed body left open cannot be trusted to be whole.
            state.closeAfter = true
            self.responseFinished(state)
        } else {
            self.writeError(InternalServerError(message: "The handler returned without a response"), state: state)
        }
    }

    /// The responder threw: answer with the error when nothing was written yet, otherwise close.
    func responderFailed(_ error: any Error, state: ResponseState) {
        guard !state.finished, !self.closed else { return }
        if state.headWritten {
            state.closeAfter = true
            self.responseFinished(state)
            return
        }
        if let processing = error as? any HTTPProcessingError {
            if processing is PayloadTooLarge || processing is RequestTimeout {
                state.closeAfter = true
            }
            self.writeError(processing, state: state)
        } else {
            self.logger.error("handler error", metadata: ["error": "\(error)"])
            let message = self.configuration.debug ? "\(error)" : "Server got itself in trouble"
            self.writeError(InternalServerError(message: message), state: state)
        }
    }

    /// Writes a plain-text error response for `error`.
    func writeError(_ error: any HTTPProcessingError, state: ResponseState) {
        var response = HTTPResponse(status: error.status, headerFields: error.headers)
        response.headerFields[.contentType] = "text/plain; charset=utf-8"
        let body = ByteBuffer(string: "\(error.status.code) \(error.status.reasonPhrase): \(error.message)\n")
        try? self.writeWhole(response, body: body, state: state)
    }

    private func checkWritable(_ state: ResponseState) throws {
        guard !self.closed else { throw ConnectionClosed() }
        guard !state.headWritten else { throw ResponseAlreadyWritten() }
        precondition(self.isOldestPending(state), "responses are written in request order")
    }

    /// Whether `state` is the oldest response still owed.
    func isOldestPending(_ state: ResponseState) -> Bool {
        !state.finished && state.sequence == self.oldestPending && !self.pending.isEmpty
    }

    /// Decides framing and persistence of `response` (status code `status`) to the oldest owed request, and the fields
    /// the server writes in place of the response's own (`Content-Length` or chunked,
    /// `Connection`, `Date`, `Server`).
    func prepare(_ response: HTTPResponse, status: Int, state: ResponseState, bodyLength: Int?) -> (ResponseFraming, ServerFields) {
        var closing = state.closeAfter || (self.closeWhenDone && self.pending.count == 1)
        if let remaining = self.bodyStillArriving(for: state.sequence) {
            // The handler answers before the body is in: discard a small rest, close otherwise,
            // and close when the client may still hold a body it was never asked for.
            if state.expectsContinue && !state.continueSent || (remaining ?? .max) > 65536 {
                closing = true
            }
        }
        let plan = ResponsePlan(
            status: status,
            isHeadRequest: state.isHeadRequest,
            version: state.version,
            bodyLength: bodyLength,
            declaredLength: response.headerFields[.contentLength].flatMap(Int.init),
            closing: closing
        )
        state.closeAfter = plan.closes
        let connection = plan.connectionField(version: state.version)
        let fields = ServerFields(
            framing: plan.framingFields,
            connection: connection,
            date: self.dates.current(),
            server: self.configuration.serverName
        )
        state.status = status
        if self.observers.accessLog != nil {
            state.responseFields = Self.fieldsAsSent(response.headerFields, serverFields: fields)
        }
        return (plan.framing, fields)
    }

    /// The response's fields as the head carries them, for the access log's `%{…}o`: framing and
    /// `Connection` replaced by the server's, `Date` and `Server` added where missing.
    static func fieldsAsSent(_ own: HTTPFields, serverFields: ServerFields) -> HTTPFields {
        var sent = own
        switch serverFields.framing {
        case .asIs:
            break
        case .none:
            sent[.contentLength] = nil
            sent[.transferEncoding] = nil
        case .contentLength(let length):
            sent[.transferEncoding] = nil
            sent[.contentLength] = String(length)
        case .chunked:
            sent[.contentLength] = nil
            sent[.transferEncoding] = "chunked"
        }
        if let connection = serverFields.connection { sent[.connection] = connection }
        if let date = serverFields.date, sent[.date] == nil { sent[.date] = date }
        if let server = serverFields.server, sent[.server] == nil { sent[.server] = server }
        return sent
    }

    /// Writes bytes of the oldest owed response; `promise` completes once they are written.
    /// With `flush` they go to the socket at once, or with the batch they belong to: the
    /// responses to the requests of the read being handled, or to pipelined requests already
    /// queued, which are flushed after the last of them or as soon as one suspends.
    func write(_ data: IOData, flush: Bool, promise: EventLoopPromise<Void>?) {
        if let held = self.heldWrite.take() {
            self.context.write(self.wrapOutboundOut(held.data), promise: held.promise)
        }
        if !flush {
            self.context.write(self.wrapOutboundOut(data), promise: promise)
        } else if self.batchingWrites {
            // Held to the end of the read, to go down the pipeline together with its flush.
            self.heldWrite = (data, promise)
            self.flushPending = true
        } else if self.hasQueuedRequests {
            self.context.write(self.wrapOutboundOut(data), promise: promise)
            self.scheduleFlush()
        } else {
            self.context.writeAndFlush(self.wrapOutboundOut(data), promise: promise)
        }
    }

    /// Flushes once the event loop gets control back: after the request loop has answered the
    /// queued requests that do not suspend.
    private func scheduleFlush() {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        self.context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            if !self.closed { self.context.flush() }
        }
    }

    /// Closes once everything written so far has reached the socket.
    func closeAfterWrites() {
        let promise = self.context.eventLoop.makePromise(of: Void.self)
        self.write(.byteBuffer(ByteBuffer()), flush: true, promise: promise)
        let channel = self.context.channel
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    /// Whether the socket takes more writes without queueing.
    var isWritable: Bool { self.context.channel.isWritable }

    var allocator: ByteBufferAllocator { self.context.channel.allocator }

    /// An empty buffer for the head of `response` and `extra` bytes more: the spare one, whose
    /// storage is reused when the socket is done with it, or a new one.
    func takeHeadBuffer(for response: HTTPResponse, extra: Int) -> ByteBuffer {
        let capacity = 256 + response.headerFields.count * 48 + extra
        guard var buffer = self.spareOutput.take() else { return self.allocator.buffer(capacity: capacity) }
        // Allocates only when the storage is still shared; the write that follows makes room
        // when it is too small.
        buffer.clear()
        return buffer
    }

    /// Keeps `buffer`, just handed to the socket, as the spare for the next head, when small.
    func keepSpare(_ buffer: ByteBuffer) {
        self.spareOutput = buffer.capacity <= 4096 ? buffer : nil
    }

    /// The oldest owed response is complete: closes or carries on.
    func responseFinished(_ state: ResponseState) {
        guard self.isOldestPending(state) else { return }
        self.pending.removeFirst()
        self.oldestPending += 1
        state.finished = true
        self.observers.requestFinished(state, remoteAddress: state.forwardedAddress ?? self.connectionInfo.remoteAddress)
        if state.closeAfter {
            self.stopReading = true
            self.closeAfterWrites()
            return
        }
        if state.upgradeRequested {
            self.upgradeDeclined()
        }
        self.closeIfDone()
        if self.isIdle {
            self.startIdleTimer()
        }
    }

    func sendContinue(for sequence: Int) {
        guard let state = self.pending.first(where: { $0.sequence == sequence }), !state.headWritten else { return }
        state.continueSent = true
        var buffer = self.context.channel.allocator.buffer(capacity: 25)
        buffer.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
        self.write(.byteBuffer(buffer), flush: true, promise: nil)
    }
}
