import AioStreams
import NIOCore

/// Compresses outgoing and inflates incoming messages under permessage-deflate (RFC 7692 §7.2):
/// raw deflate, each message flushed to a byte boundary with the trailing `00 00 FF FF` removed
/// on the wire and put back to inflate.
///
/// Each half is used by one task at a time (the receiver, and senders one after another), under
/// the ``WebSocket``'s locks; hence the unchecked `Sendable`.
final class MessageCompression: @unchecked Sendable {
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    private let deflater: StreamCompressor
    private let inflater: StreamDecompressor
    /// Whether this side forgets its compression context after each message.
    private let resetAfterMessage: Bool

    /// Compression for `role` with the negotiated `parameters`; incoming messages inflate to at
    /// most `maxMessageSize` bytes.
    init(role: WSFrameDecoder.Role, parameters: PerMessageDeflate, maxMessageSize: Int) throws {
        let bits = role == .server ? parameters.serverMaxWindowBits : parameters.clientMaxWindowBits
        self.deflater = try StreamCompressor(.rawDeflate(windowBits: bits))
        self.inflater = try StreamDecompressor(.rawDeflate(), limit: maxMessageSize)
        self.resetAfterMessage = role == .server ? parameters.serverNoContextTakeover : parameters.clientNoContextTakeover
    }

    /// The payload of a compressed message.
    func compress(_ message: ByteBuffer) throws -> ByteBuffer {
        var compressed = try self.deflater.flush(message)
        if compressed.readableBytesView.suffix(4).elementsEqual(Self.tail) {
            compressed.moveWriterIndex(to: compressed.writerIndex - 4)
        }
        if compressed.readableBytes == 0 {
            // An empty message is a single empty stored block.
            compressed.writeInteger(UInt8(0))
        }
        if self.resetAfterMessage { try self.deflater.reset() }
        return compressed
    }

    /// Starts inflating a new message: its size counts from zero.
    func startMessage() {
        self.inflater.resetCount()
    }

    /// The bytes one frame of a compressed message inflates to; the last frame (`fin`) has the
    /// flush marker put back, unless the sender ended its stream with a final block (RFC 7692
    /// §7.2.3.6), after which the next message starts a new stream.
    ///
    /// - Throws: ``WebSocketError``: 1009 past the message size limit, 1007 for corrupt data
    ///   (bytes after a final block among them).
    func inflate(_ payload: ByteBuffer, fin: Bool) throws -> ByteBuffer {
        do {
            var output = try self.inflater.decompress(payload)
            guard fin else { return output }
            if self.inflater.ended {
                try self.inflater.restart()
            } else {
                var rest = try self.inflater.decompress(ByteBuffer(bytes: Self.tail))
                output.writeBuffer(&rest)
            }
            return output
        } catch StreamDecompressor.Failure.tooLarge(let limit) {
            throw WebSocketError(.messageTooBig, "Message inflates to more than \(limit) bytes")
        } catch {
            throw WebSocketError(.invalidText, "Corrupt compressed message")
        }
    }
}
