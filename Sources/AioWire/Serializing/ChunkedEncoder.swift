import HTTPTypes
import NIOCore

/// Writes a body in the chunked transfer coding of RFC 9112 §7.1, the counterpart of
/// ``ChunkedDecoder``.
///
/// To send chunk data without copying it, write ``writeChunkHeader(count:into:)`` into a small
/// buffer, then the data buffer itself, then ``writeChunkEnd(into:)``; ``writeChunk(_:into:)``
/// does all three into one buffer for small pieces.
public enum ChunkedEncoder {
    /// Writes `chunk-size CRLF` for a chunk of `count` bytes (`count` > 0).
    public static func writeChunkHeader(count: Int, into buffer: inout ByteBuffer) {
        precondition(count > 0, "a chunk of zero bytes would end the body")
        var digits = 0
        var rest = count
        while rest > 0 {
            digits += 1
            rest >>= 4
        }
        var shift = (digits - 1) * 4
        while shift >= 0 {
            buffer.writeInteger(Hex.lowerDigits[(count >> shift) & 0xF])
            shift -= 4
        }
        buffer.writeStaticString("\r\n")
    }

    /// Writes the CRLF that closes chunk data.
    public static func writeChunkEnd(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("\r\n")
    }

    /// Writes `data` as one chunk; an empty `data` writes nothing, since it would end the body.
    public static func writeChunk(_ data: ByteBuffer, into buffer: inout ByteBuffer) {
        guard data.readableBytes > 0 else { return }
        self.writeChunkHeader(count: data.readableBytes, into: &buffer)
        buffer.writeImmutableBuffer(data)
        self.writeChunkEnd(into: &buffer)
    }

    /// Writes the last chunk and the trailer section that end the body.
    ///
    /// Trailers may not carry `Content-Length`, `Transfer-Encoding` or `Host` (RFC 9110 §6.5.1):
    /// such a field throws ``InvalidHeader`` and nothing is written.
    public static func writeLastChunk(trailers: HTTPFields? = nil, into buffer: inout ByteBuffer) throws {
        if let trailers {
            for name in [HTTPField.Name.contentLength, .transferEncoding, HTTPField.Name("Host")!]
            where trailers.contains(name) {
                throw InvalidHeader(name: name.rawName, message: "Field not allowed in trailers")
            }
        }
        buffer.writeStaticString("0\r\n")
        buffer.writeFieldSection(trailers ?? [:])
    }
}
