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
    /// Bytes at the start of the frame being received already checked by ``checkPartial(_:compressed:received:)``.
    private var checked = 0
    /// Inflates messages under permessage-deflate; nil when it was not negotiated.
    private let compression: MessageCompression?
    /// Whether the message being joined is compressed.
    private var compressed = false

    init(maxMessageSize: Int, compression: MessageCompression? = nil) {
        self.maxMessageSize = maxMessageSize
        self.compression = compression
    }

    /// Checks the text received so far of a data frame still arriving, so that bytes that can
    /// never be UTF-8 fail the connection at once, not when the frame ends (RFC 6455 §8.1).
    mutating func checkPartial(_ opcode: WSOpcode, compressed: Bool, received: ByteBuffer) throws {
        let message = opcode == .continuation ? self.opcode : (self.opcode == nil ? opcode : nil)
        // Compressed text is checked once inflated, frame by frame.
        let isCompressed = opcode == .continuation ? self.compressed : compressed
        guard message == .text, !isCompressed, received.readableBytes > self.checked else { return }
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
            guard !frame.rsv1 else { throw WebSocketError.protocolError("RSV1 set on a continuation frame") }
            opcode = started
        } else {
            guard self.opcode == nil else { throw WebSocketError.protocolError("New message before the previous one ended") }
            opcode = frame.opcode
            self.compressed = frame.rsv1
            if frame.rsv1 {
                guard let compression = self.compression else { throw WebSocketError.protocolError("RSV1 set without permessage-deflate") }
                compression.startMessage()
            }
        }
        var frame = frame
        if self.compressed, let compression = self.compression {
            frame.payload = try compression.inflate(frame.payload, fin: frame.fin)
            self.checked = 0
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
