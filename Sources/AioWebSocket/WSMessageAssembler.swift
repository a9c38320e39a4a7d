import NIOCore

/// Joins the fragments of text and binary messages (RFC 6455 §5.4), checking what the frame
/// decoder cannot: continuation rules, the message size limit across fragments, and UTF-8 of
/// text as it arrives.
struct WSMessageAssembler: Sendable {
    private let maxMessageSize: Int
    /// The opcode of the message being joined, nil between messages.
    private var opcode: WSOpcode?
    private var fragments = ByteBuffer()
    private var validator = UTF8Validator()
    /// Bytes at the start of the frame being received already checked by ``checkPartial(_:received:)``.
    private var checked = 0

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Checks the text received so far of a data frame still arriving, so that bytes that can
    /// never be UTF-8 fail the connection at once, not when the frame ends (RFC 6455 §8.1).
    mutating func checkPartial(_ opcode: WSOpcode, received: ByteBuffer) throws {
        let message = opcode == .continuation ? self.opcode : (self.opcode == nil ? opcode : nil)
        guard message == .text, received.readableBytes > self.checked else { return }
        let checked = self.checked
        let valid = received.withUnsafeReadableBytes { self.validator.validate(UnsafeRawBufferPointer(rebasing: $0[checked...])) }
        guard valid else { throw WebSocketError(.invalidText, "Text message is not valid UTF-8") }
        self.checked = received.readableBytes
    }

    /// Takes a data frame; returns the message it completes.
    ///
    /// - Throws: ``WebSocketError``: 1002 for a continuation out of place, 1007 for text that
    ///   is not UTF-8 (as soon as a byte shows it), 1009 past the size limit.
    mutating func receive(_ frame: WSFrame) throws -> WSMessage? {
        let opcode: WSOpcode
        if frame.opcode == .continuation {
            guard let started = self.opcode else { throw WebSocketError.protocolError("Continuation frame without a message") }
            opcode = started
        } else {
            guard self.opcode == nil else { throw WebSocketError.protocolError("New message before the previous one ended") }
            opcode = frame.opcode
        }
        let size = self.fragments.readableBytes + frame.payload.readableBytes
        guard size <= self.maxMessageSize else {
            throw WebSocketError(.messageTooBig, "Message larger than \(self.maxMessageSize) bytes")
        }
        if opcode == .text {
            let checked = self.checked
            let valid = frame.payload.withUnsafeReadableBytes { self.validator.validate(UnsafeRawBufferPointer(rebasing: $0[checked...])) }
            guard valid else { throw WebSocketError(.invalidText, "Text message is not valid UTF-8") }
        }
        self.checked = 0
        guard frame.fin else {
            self.opcode = opcode
            var payload = frame.payload
            self.fragments.writeBuffer(&payload)
            return nil
        }
        if opcode == .text {
            guard self.validator.isComplete else { throw WebSocketError(.invalidText, "Text message ends inside a character") }
            self.validator = UTF8Validator()
        }
        let data: ByteBuffer
        if self.opcode == nil {
            data = frame.payload
        } else {
            var payload = frame.payload
            self.fragments.writeBuffer(&payload)
            data = self.fragments
            self.fragments = ByteBuffer()
            self.opcode = nil
        }
        return WSMessage(type: opcode == .text ? .text : .binary, data: data)
    }
}
