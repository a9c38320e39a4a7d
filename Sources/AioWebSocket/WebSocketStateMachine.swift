import NIOCore

/// The protocol state of one WebSocket connection, without I/O: frames and local requests go
/// in, what to deliver, send and close comes out (in the manner of swift-websocket's
/// `WebSocketStateMachine`). The I/O shell, ``WebSocket``, carries the actions out.
public struct WebSocketStateMachine: Sendable {
    /// Where the closing handshake stands.
    public enum State: Sendable, Equatable {
        /// Messages flow both ways.
        case open
        /// This side sent a close frame and waits for the peer's.
        case closing
        /// Both close frames are exchanged, or the connection failed: close the transport.
        case closed
    }

    /// What a received frame calls for.
    public enum Action: Sendable {
        /// Nothing yet: a fragment, or a ping arriving while closing.
        case none
        /// Hand `message` to the receiver.
        case deliver(WSMessage)
        /// Send `frame` (a pong) and hand `message` (the ping) to the receiver when it asked to see pings.
        case reply(WSFrame, ping: WSMessage)
        /// The peer closed: send `reply` when given (the close echoed), deliver `message`, then
        /// close the transport once `reply` is written (a server closes TCP first, RFC 6455 §7.1.1).
        case closed(reply: WSFrame?, message: WSMessage)
        /// The peer broke the protocol: send `reply` when given, close the transport, and report
        /// `error`.
        case fail(reply: WSFrame?, error: WebSocketError)
    }

    /// Where the connection is in its life: open, closing, or closed.
    public private(set) var state = State.open
    private var assembler: WSMessageAssembler

    /// A connection accepting messages up to `maxMessageSize` bytes.
    public init(maxMessageSize: Int) {
        self.assembler = WSMessageAssembler(maxMessageSize: maxMessageSize)
    }

    /// A connection whose messages may be compressed (permessage-deflate).
    init(maxMessageSize: Int, compression: MessageCompression) {
        self.assembler = WSMessageAssembler(maxMessageSize: maxMessageSize, compression: compression)
    }

    /// A connection on `role`'s side whose messages may be compressed with the permessage-deflate
    /// `parameters` agreed in the handshake; they inflate to at most `maxMessageSize` bytes.
    ///
    /// - Throws: when zlib cannot be set up.
    public init(maxMessageSize: Int, role: WSFrameDecoder.Role, deflate parameters: PerMessageDeflate) throws {
        let compression = try MessageCompression(role: role, parameters: parameters, maxMessageSize: maxMessageSize)
        self.init(maxMessageSize: maxMessageSize, compression: compression)
    }

    /// Takes a frame from the decoder.
    public mutating func receive(_ frame: WSFrame) -> Action {
        guard self.state != .closed else { return .none }
        do {
            switch frame.opcode {
            case .ping:
                guard self.state == .open else { return .none }
                return .reply(WSFrame(opcode: .pong, payload: frame.payload), ping: WSMessage(type: .ping, data: frame.payload))
            case .pong:
                return .deliver(WSMessage(type: .pong, data: frame.payload))
            case .close:
                let (code, reason) = try frame.closeStatus()
                let reply: WSFrame? = self.state == .open ? .close(code: code, reason: "") : nil
                self.state = .closed
                return .closed(reply: reply, message: WSMessage(type: .close, extra: reason, closeCode: code))
            case .text, .binary, .continuation:
                // Messages the peer sent before it saw our close are still delivered.
                guard let message = try self.assembler.receive(frame) else { return .none }
                return .deliver(message)
            }
        } catch let error as WebSocketError {
            return self.fail(error)
        } catch {
            return self.fail(WebSocketError(.internalError, "\(error)"))
        }
    }

    /// Takes the part of a data frame received so far (``WSFrameDecoder/partialFrame``): fails
    /// the connection as soon as its text cannot be UTF-8.
    public mutating func receivePartial(_ opcode: WSOpcode, compressed: Bool = false, received: ByteBuffer) -> Action {
        guard self.state != .closed, !opcode.isControl else { return .none }
        do {
            try self.assembler.checkPartial(opcode, compressed: compressed, received: received)
            return .none
        } catch let error as WebSocketError {
            return self.fail(error)
        } catch {
            return self.fail(WebSocketError(.internalError, "\(error)"))
        }
    }

    /// The decoder or the transport failed with `error`: the close frame to send, if any.
    public mutating func fail(_ error: WebSocketError) -> Action {
        let reply: WSFrame? = self.state == .open ? .close(code: error.closeCode, reason: error.reason) : nil
        self.state = .closed
        return .fail(reply: reply, error: error)
    }

    /// This side closes: the close frame to send, nil when closing has already begun.
    public mutating func close(code: WSCloseCode, reason: String) -> WSFrame? {
        guard self.state == .open else { return nil }
        self.state = .closing
        return .close(code: code, reason: reason)
    }

    /// The transport ended, with or without a closing handshake.
    public mutating func transportClosed() {
        self.state = .closed
    }

    /// Whether messages may be sent.
    public var canSend: Bool { self.state == .open }
}
