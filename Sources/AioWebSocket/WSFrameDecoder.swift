import NIOCore

/// Cuts a WebSocket byte stream into frames (RFC 6455 §5.2): fed bytes as they arrive, it gives
/// each frame once it is complete, unmasked.
///
/// Everything a header can be refused for is refused as soon as the header is read, before its
/// payload arrives: reserved bits no extension claimed, unknown opcodes, fragmented or long
/// control frames, the wrong masking for the side (a server takes only masked frames, a client
/// only unmasked ones), and payloads over the limit.
///
/// ```swift
/// var decoder = WSFrameDecoder(role: .server, maxPayloadLength: 4 << 20)
/// decoder.feed(bytes)
/// while let frame = try decoder.next() { … }
/// ```
public struct WSFrameDecoder: Sendable {
    /// Which end of the connection decodes.
    public enum Role: Sendable {
        /// Decodes a client's frames, which must be masked.
        case server
        /// Decodes a server's frames, which must not be masked.
        case client
    }

    private let role: Role
    private let maxPayloadLength: Int
    /// Whether RSV1 may be set, as permessage-deflate allows.
    public var allowsRSV1: Bool
    private var buffer = ByteBuffer()
    /// The header of the frame being received, once read.
    private var current: Header?
    /// Payload bytes of the current frame, at the buffer's front, already unmasked.
    private var unmasked = 0

    /// A decoder for `role` refusing payloads over `maxPayloadLength` bytes with 1009.
    public init(role: Role, maxPayloadLength: Int, allowsRSV1: Bool = false) {
        self.role = role
        self.maxPayloadLength = maxPayloadLength
        self.allowsRSV1 = allowsRSV1
    }

    /// Bytes received and not yet part of a returned frame.
    public var bufferedBytes: Int { self.buffer.readableBytes }

    /// Adds bytes that arrived.
    public mutating func feed(_ bytes: ByteBuffer) {
        if self.buffer.readableBytes == 0 {
            self.buffer = bytes
        } else {
            var bytes = bytes
            self.buffer.writeBuffer(&bytes)
        }
    }

    /// The next complete frame, nil until one is.
    ///
    /// - Throws: ``WebSocketError`` (1002, or 1009 for a payload over the limit).
    public mutating func next() throws -> WSFrame? {
        if self.current == nil {
            guard let header = try self.header() else { return nil }
            self.buffer.moveReaderIndex(forwardBy: header.length)
            self.current = header
            self.unmasked = 0
        }
        let header = self.current!
        self.unmaskArrived(header)
        guard self.buffer.readableBytes >= header.payloadLength else { return nil }
        let payload = self.buffer.readSlice(length: header.payloadLength)!
        self.current = nil
        self.unmasked = 0
        if self.buffer.readableBytes == 0 {
            // Start the next frame at the front, instead of growing the buffer.
            self.buffer.clear()
        }
        return WSFrame(fin: header.fin, rsv1: header.rsv1, rsv2: header.rsv2, rsv3: header.rsv3, opcode: header.opcode, payload: payload)
    }

    /// The opcode, RSV1 and the payload bytes received so far, unmasked, of a frame whose
    /// header has been read but whose payload is still arriving: text can be checked before it
    /// is whole.
    public var partialFrame: (opcode: WSOpcode, rsv1: Bool, received: ByteBuffer)? {
        guard let current, self.unmasked > 0 else { return nil }
        return (current.opcode, current.rsv1, self.buffer.getSlice(at: self.buffer.readerIndex, length: self.unmasked)!)
    }

    /// Unmasks, in place and once, the payload bytes that have arrived; in place so the storage
    /// the payload is later sliced from is not shared and not copied.
    private mutating func unmaskArrived(_ header: Header) {
        let arrived = Swift.min(self.buffer.readableBytes, header.payloadLength)
        guard arrived > self.unmasked else { return }
        if let key = header.maskingKey {
            let start = self.unmasked
            self.buffer.withUnsafeMutableReadableBytes { bytes in
                key.apply(to: UnsafeMutableRawBufferPointer(rebasing: bytes[start..<arrived]), offset: start)
            }
        }
        self.unmasked = arrived
    }

    private struct Header {
        var fin: Bool
        var rsv1: Bool
        var rsv2: Bool
        var rsv3: Bool
        var opcode: WSOpcode
        var maskingKey: WSMaskingKey?
        var payloadLength: Int
        /// Bytes of the header itself.
        var length: Int
    }

    /// The buffered frame's header, checked; nil while incomplete.
    private func header() throws -> Header? {
        try self.buffer.withUnsafeReadableBytes { bytes -> Header? in
            guard bytes.count >= 2 else { return nil }
            let first = bytes[0]
            let second = bytes[1]
            let fin = first & 0x80 != 0
            let rsv1 = first & 0x40 != 0
            let rsv2 = first & 0x20 != 0
            let rsv3 = first & 0x10 != 0
            guard let opcode = WSOpcode(rawValue: first & 0x0F) else {
                throw WebSocketError.protocolError("Unknown opcode \(first & 0x0F)")
            }
            if rsv2 || rsv3 || (rsv1 && !self.allowsRSV1) {
                throw WebSocketError.protocolError("Reserved bits set without a negotiated extension")
            }
            let masked = second & 0x80 != 0
            switch (self.role, masked) {
            case (.server, false): throw WebSocketError.protocolError("Unmasked frame from a client")
            case (.client, true): throw WebSocketError.protocolError("Masked frame from a server")
            default: break
            }
            var length = Int(second & 0x7F)
            if opcode.isControl {
                guard fin else { throw WebSocketError.protocolError("Fragmented control frame") }
                guard length <= 125 else { throw WebSocketError.protocolError("Control frame longer than 125 bytes") }
                guard !rsv1 else { throw WebSocketError.protocolError("RSV1 set on a control frame") }
            }
            var offset = 2
            if length == 126 {
                guard bytes.count >= 4 else { return nil }
                length = Int(bytes[2]) << 8 | Int(bytes[3])
                guard length >= 126 else { throw WebSocketError.protocolError("Length not in its shortest form") }
                offset = 4
            } else if length == 127 {
                guard bytes.count >= 10 else { return nil }
                let wide = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self))
                guard wide >> 63 == 0 else { throw WebSocketError.protocolError("Payload length with the top bit set") }
                guard wide > 0xFFFF else { throw WebSocketError.protocolError("Length not in its shortest form") }
                guard wide <= UInt64(self.maxPayloadLength) else {
                    throw WebSocketError(.messageTooBig, "Frame larger than \(self.maxPayloadLength) bytes")
                }
                length = Int(wide)
                offset = 10
            }
            guard length <= self.maxPayloadLength else {
                throw WebSocketError(.messageTooBig, "Frame larger than \(self.maxPayloadLength) bytes")
            }
            var key: WSMaskingKey?
            if masked {
                guard bytes.count >= offset + 4 else { return nil }
                key = WSMaskingKey(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3])
                offset += 4
            }
            return Header(fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, maskingKey: key, payloadLength: length, length: offset)
        }
    }
}
