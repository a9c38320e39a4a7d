import NIOCore

/// Writes WebSocket frames (RFC 6455 §5.2): the header in its shortest form, and the payload,
/// masked when a key is given as a client must.
public enum WSFrameEncoder {
    /// The header of `frame` for a payload of `length` bytes, with `maskingKey` when masked.
    public static func header(for frame: WSFrame, maskingKey: WSMaskingKey? = nil) -> ByteBuffer {
        var header = ByteBuffer()
        Self.writeHeader(for: frame, length: frame.payload.readableBytes, maskingKey: maskingKey, into: &header)
        return header
    }

    /// `frame` on the wire, header and payload in one buffer; the payload is masked with
    /// `maskingKey` when given.
    public static func encode(_ frame: WSFrame, maskingKey: WSMaskingKey? = nil) -> ByteBuffer {
        var out = ByteBuffer()
        Self.encode(frame, maskingKey: maskingKey, into: &out)
        return out
    }

    /// Appends `frame` on the wire to `out`.
    public static func encode(_ frame: WSFrame, maskingKey: WSMaskingKey? = nil, into out: inout ByteBuffer) {
        let length = frame.payload.readableBytes
        out.reserveCapacity(minimumWritableBytes: length + 14)
        Self.writeHeader(for: frame, length: length, maskingKey: maskingKey, into: &out)
        let offset = out.writerIndex - out.readerIndex
        var payload = frame.payload
        out.writeBuffer(&payload)
        if let maskingKey {
            out.withUnsafeMutableReadableBytes { bytes in
                maskingKey.apply(to: UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
            }
        }
    }

    private static func writeHeader(for frame: WSFrame, length: Int, maskingKey: WSMaskingKey?, into out: inout ByteBuffer) {
        var first = frame.opcode.rawValue
        if frame.fin { first |= 0x80 }
        if frame.rsv1 { first |= 0x40 }
        if frame.rsv2 { first |= 0x20 }
        if frame.rsv3 { first |= 0x10 }
        let mask: UInt8 = maskingKey == nil ? 0 : 0x80
        out.writeInteger(first)
        switch length {
        case 0...125:
            out.writeInteger(mask | UInt8(length))
        case 126...0xFFFF:
            out.writeInteger(mask | 126)
            out.writeInteger(UInt16(length))
        default:
            out.writeInteger(mask | 127)
            out.writeInteger(UInt64(length))
        }
        if let key = maskingKey?.bytes {
            out.writeMultipleIntegers(key.0, key.1, key.2, key.3)
        }
    }
}
