#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioStreams
import NIOCore
import Synchronization

/// One end of a WebSocket connection, as aiohttp's `WebSocketResponse` and
/// `ClientWebSocketResponse` are: receive messages one at a time (or iterate), send from any
/// task.
///
/// ```swift
/// for try await message in ws {
///     if let text = message.text { try await ws.send(text: text) }
/// }
/// ```
///
/// Pings are answered, the closing handshake is carried out, and protocol errors close the
/// connection with the right code, as the messages are received: someone must be receiving.
public final class WebSocket: Sendable {
    /// The side of the connection, which decides masking (clients mask, servers do not).
    public typealias Role = WSFrameDecoder.Role

    private struct Inbound: Sendable {
        var machine: WebSocketStateMachine
        var decoder: WSFrameDecoder
        /// A caller of `receive()` is in it.
        var receiving = false
        /// Live iterators: someone is reading messages even between two `receive()` calls.
        var iterators = 0
        /// `close()` is reading (and dropping) messages until the peer's close.
        var draining = false
        /// `receive()` calls that arrived while `close()` was draining.
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        /// The close code the connection ended with, once it has.
        var closeCode: WSCloseCode?
        /// Frames received so far: the heartbeat watches it move.
        var framesReceived = 0
    }

    /// Which side of the connection this is: a client masks what it sends, a server does not.
    public let role: Role
    /// The limits, timeouts and heartbeat it runs with.
    public let configuration: WebSocketConfiguration
    /// The permessage-deflate parameters agreed in the handshake; nil without compression.
    public let deflate: PerMessageDeflate?
    private let transport: any WebSocketTransport
    /// Advanced by one task at a time: the receiver, or `close()` draining when there is none.
    private let source: ByteStream
    private let inbound: Mutex<Inbound>
    private let compression: MessageCompression?
    /// Keeps compressed messages in the order they were compressed in: each refers back to the
    /// ones before.
    private let sendLock = SendLock()
    private let heartbeatTask = Mutex<Task<Void, Never>?>(nil)

    /// A WebSocket reading frames from `inbound` and writing to `transport`.
    public convenience init<Source: AsyncSequence & Sendable>(
        role: Role,
        inbound: Source,
        transport: some WebSocketTransport,
        configuration: WebSocketConfiguration = WebSocketConfiguration()
    ) where Source.Element == ByteBuffer {
        self.init(role: role, source: ByteStream(inbound), transport: transport, configuration: configuration, deflate: nil, compression: nil)
    }

    /// A WebSocket whose messages are compressed with the permessage-deflate `parameters` agreed
    /// in the handshake.
    ///
    /// - Throws: when zlib cannot be set up.
    public convenience init<Source: AsyncSequence & Sendable>(
        role: Role,
        inbound: Source,
        transport: some WebSocketTransport,
        configuration: WebSocketConfiguration = WebSocketConfiguration(),
        deflate parameters: PerMessageDeflate
    ) throws where Source.Element == ByteBuffer {
        let compression = try MessageCompression(role: role, parameters: parameters, maxMessageSize: configuration.maxMessageSize)
        self.init(role: role, source: ByteStream(inbound), transport: transport, configuration: configuration, deflate: parameters, compression: compression)
    }

    private init(
        role: Role,
        source: ByteStream,
        transport: some WebSocketTransport,
        configuration: WebSocketConfiguration,
        deflate: PerMessageDeflate?,
        compression: MessageCompression?
    ) {
        self.role = role
        self.configuration = configuration
        self.transport = transport
        self.source = source
        self.deflate = deflate
        self.compression = compression
        let machine = compression.map { WebSocketStateMachine(maxMessageSize: configuration.maxMessageSize, compression: $0) }
            ?? WebSocketStateMachine(maxMessageSize: configuration.maxMessageSize)
        self.inbound = Mutex(
            Inbound(
                machine: machine,
                decoder: WSFrameDecoder(role: role, maxPayloadLength: configuration.maxMessageSize, allowsRSV1: compression != nil)
            )
        )
        if let interval = configuration.heartbeat {
            self.heartbeatTask.withLock { $0 = Task { [weak self] in await self?.beat(every: interval) } }
        }
    }

    deinit {
        self.heartbeatTask.withLock { $0?.cancel() }
    }

    /// Pings after `interval` of silence from the peer; fails the connection when nothing
    /// comes back within half of it.
    private func beat(every interval: Duration) async {
        var seen = self.inbound.withLock { $0.framesReceived }
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let (open, now) = self.inbound.withLock { ($0.machine.state == .open, $0.framesReceived) }
            guard open else { return }
            if now != seen {
                seen = now
                continue
            }
            try? await self.write(WSFrame(opcode: .ping))
            do {
                try await Task.sleep(for: interval / 2)
            } catch {
                return
            }
            let answered = self.inbound.withLock { $0.framesReceived != seen }
            guard answered else {
                self.inbound.withLock { inbound in
                    if inbound.machine.state != .closed { inbound.closeCode = .abnormalClosure }
                    inbound.machine.transportClosed()
                }
                await self.transport.close()
                return
            }
            seen = self.inbound.withLock { $0.framesReceived }
        }
    }

    /// Whether the connection has started or finished closing.
    public var isClosed: Bool { self.inbound.withLock { $0.machine.state != .open } }

    /// The close code the connection ended with: the peer's, or the error's; nil while open.
    public var closeCode: WSCloseCode? { self.inbound.withLock { $0.closeCode } }

    // MARK: Receiving

    /// The next message: text, binary, pong (and ping without ``WebSocketConfiguration/autoPing``),
    /// then `close` when the peer closes, `error` when the connection fails, and `closed` from
    /// then on.
    ///
    /// - Throws: ``WebSocketError`` when another task is receiving already.
    ///   A call made while ``close(code:message:)`` is dropping messages waits until it is done.
    public func receive() async throws -> WSMessage {
        let draining = try self.inbound.withLock { inbound in
            guard !inbound.receiving else { throw WebSocketError(.internalError, "Concurrent receive() calls") }
            inbound.receiving = true
            return inbound.draining
        }
        defer { self.inbound.withLock { $0.receiving = false } }
        if draining {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = self.inbound.withLock { inbound in
                    guard inbound.draining else { return true }
                    inbound.drainWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }
        return try await self.nextMessage()
    }

    /// Decodes frames, reading more bytes as needed, until there is a message for the caller;
    /// only one task at a time calls it.
    private func nextMessage() async throws -> WSMessage {
        while true {
            let step = self.inbound.withLock { inbound -> WebSocketStateMachine.Action? in
                if inbound.machine.state == .closed { return .deliver(WSMessage(type: .closed, closeCode: inbound.closeCode)) }
                do {
                    guard let frame = try inbound.decoder.next() else {
                        guard let (opcode, rsv1, received) = inbound.decoder.partialFrame else { return nil }
                        let action = inbound.machine.receivePartial(opcode, compressed: rsv1, received: received)
                        if case .none = action { return nil }
                        return action
                    }
                    inbound.framesReceived += 1
                    return inbound.machine.receive(frame)
                } catch let error as WebSocketError {
                    return inbound.machine.fail(error)
                } catch {
                    return inbound.machine.fail(WebSocketError(.internalError, "\(error)"))
                }
            }
            guard let step else {
                try await self.readMore()
                continue
            }
            switch step {
            case .none:
                continue
            case .deliver(let message):
                return message
            case .reply(let pong, let ping):
                try? await self.write(pong)
                if !self.configuration.autoPing { return ping }
            case .closed(let reply, let message):
                self.inbound.withLock { $0.closeCode = message.closeCode ?? .ok }
                if let reply { try? await self.write(reply) }
                await self.transport.close()
                return message
            case .fail(let reply, let error):
                self.inbound.withLock { $0.closeCode = error.closeCode }
                if let reply { try? await self.write(reply) }
                await self.transport.close()
                return WSMessage(type: .error, extra: error.reason, closeCode: error.closeCode)
            }
        }
    }

    /// Feeds the next bytes from the transport; its end without a close frame is an abnormal
    /// closure.
    ///
    /// - Throws: ``/AioStreams/TimeoutError`` after ``WebSocketConfiguration/receiveTimeout``
    ///   without bytes; the connection is then dropped (1006), as aiohttp does.
    private func readMore() async throws {
        let bytes: ByteBuffer?
        do {
            if let timeout = self.configuration.receiveTimeout {
                bytes = try await withTimeout(timeout) { try await self.source.next() }
            } else {
                bytes = try await self.source.next()
            }
        } catch let error as TimeoutError {
            self.inbound.withLock { inbound in
                inbound.closeCode = .abnormalClosure
                inbound.machine.transportClosed()
            }
            await self.transport.close()
            throw error
        } catch {
            bytes = nil
        }
        self.inbound.withLock { inbound in
            if let bytes {
                inbound.decoder.feed(bytes)
            } else {
                if inbound.machine.state != .closed { inbound.closeCode = .abnormalClosure }
                inbound.machine.transportClosed()
            }
        }
        if bytes == nil { await self.transport.close() }
    }

    // MARK: Sending

    /// Sends a text message.
    public func send(text: String) async throws {
        try await self.send(WSFrame(opcode: .text, payload: ByteBuffer(string: text)))
    }

    /// Sends `value` encoded as JSON in a text message, as aiohttp's `send_json`.
    public func send<Value: Encodable>(json value: Value, encoder: JSONEncoder = JSONEncoder()) async throws {
        try await self.send(WSFrame(opcode: .text, payload: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Sends a binary message.
    public func send(binary: ByteBuffer) async throws {
        try await self.send(WSFrame(opcode: .binary, payload: binary))
    }

    /// Sends a ping; its payload is at most 125 bytes.
    public func ping(_ payload: ByteBuffer = ByteBuffer()) async throws {
        precondition(payload.readableBytes <= 125, "a ping's payload is at most 125 bytes")
        try await self.send(WSFrame(opcode: .ping, payload: payload))
    }

    /// Sends an unsolicited pong (a one-way heartbeat).
    public func pong(_ payload: ByteBuffer = ByteBuffer()) async throws {
        precondition(payload.readableBytes <= 125, "a pong's payload is at most 125 bytes")
        try await self.send(WSFrame(opcode: .pong, payload: payload))
    }

    /// Sends `frame` while the connection is open.
    ///
    /// - Throws: ``WebSocketError`` once closing has begun.
    public func send(_ frame: WSFrame) async throws {
        guard self.inbound.withLock({ $0.machine.canSend }) else {
            throw WebSocketError(.goingAway, "The WebSocket is closing")
        }
        guard let compression = self.compression, frame.fin, !frame.rsv1, frame.opcode == .text || frame.opcode == .binary else {
            try await self.write(frame)
            return
        }
        await self.sendLock.lock()
        defer { self.sendLock.unlock() }
        var compressed = frame
        compressed.payload = try compression.compress(frame.payload)
        compressed.rsv1 = true
        try await self.write(compressed)
    }

    private func write(_ frame: WSFrame) async throws {
        let maskingKey: WSMaskingKey? = self.role == .client ? .random() : nil
        try await self.transport.write(WSFrameEncoder.encode(frame, maskingKey: maskingKey))
    }

    /// Starts the closing handshake with `code` and `message`; false when closing had begun.
    ///
    /// When no task is receiving or iterating, waits (up to
    /// ``WebSocketConfiguration/closeTimeout``) for the peer's close frame, dropping messages
    /// that arrive first; otherwise the receiving task sees them and the peer's close. The
    /// transport is closed when the handshake ends or times out.
    @discardableResult
    public func close(code: WSCloseCode = .ok, message: String = "") async -> Bool {
        let started = self.inbound.withLock { inbound -> (frame: WSFrame, drain: Bool)? in
            guard let frame = inbound.machine.close(code: code, reason: message) else { return nil }
            inbound.draining = !inbound.receiving && inbound.iterators == 0
            return (frame, inbound.draining)
        }
        guard let (frame, drain) = started else { return false }
        try? await self.write(frame)
        let transport = self.transport
        let timeout = self.configuration.closeTimeout
        let deadline = Task {
            try await Task.sleep(for: timeout)
            await transport.close()
        }
        if drain {
            while true {
                guard let message = try? await self.nextMessage() else { break }
                if message.type == .close || message.type == .closed || message.type == .error { break }
            }
            deadline.cancel()
            await transport.close()
            let waiters = self.inbound.withLock { inbound in
                inbound.draining = false
                defer { inbound.drainWaiters = [] }
                return inbound.drainWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        return true
    }
}

extension WebSocket: AsyncSequence {
    public typealias Element = WSMessage

    /// Iterates received messages until the connection closes; a protocol error is thrown.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: Reader

        public mutating func next() async throws -> WSMessage? {
            let message = try await self.reader.webSocket.receive()
            switch message.type {
            case .close, .closing, .closed: return nil
            case .error: throw WebSocketError(message.closeCode ?? .protocolError, message.extra ?? "")
            default: return message
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: Reader(self)) }

    /// Marks the WebSocket as read by an iterator for as long as the iterator lives, so that
    /// `close()` from another task leaves the messages still arriving to it.
    final class Reader: Sendable {
        let webSocket: WebSocket

        init(_ webSocket: WebSocket) {
            self.webSocket = webSocket
            webSocket.inbound.withLock { $0.iterators += 1 }
        }

        deinit {
            self.webSocket.inbound.withLock { $0.iterators -= 1 }
        }
    }
}
