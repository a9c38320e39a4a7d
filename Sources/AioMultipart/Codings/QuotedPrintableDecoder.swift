import AioWire
import NIOCore

/// Decodes `Content-Transfer-Encoding: quoted-printable` (RFC 2045 §6.7) piece by piece:
/// `=XX` escapes and `=` soft line breaks, an escape split between pieces carried over. As
/// the RFC advises robust decoders, a malformed escape is kept as it is.
struct QuotedPrintableDecoder {
    /// An `=` and what followed it so far, waiting for the next piece.
    private var pending: [UInt8] = []

    mutating func decode(_ input: ByteBuffer) -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(input.readableBytes + self.pending.count)
        var bytes = self.pending
        self.pending = []
        input.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "=") else {
                output.writeInteger(byte)
                index += 1
                continue
            }
            let left = bytes.count - index
            if left < 3 {
                // `=`, `=X` or `=\r`: the next piece decides.
                if left == 2, bytes[index + 1] == UInt8(ascii: "\n") {
                    index += 2
                    continue
                }
                self.pending = Array(bytes[index...])
                break
            }
            let first = bytes[index + 1]
            let second = bytes[index + 2]
            if first == UInt8(ascii: "\r"), second == UInt8(ascii: "\n") {
                index += 3
            } else if first == UInt8(ascii: "\n") {
                index += 2
            } else if let high = Hex.value(first), let low = Hex.value(second) {
                output.writeInteger(high << 4 | low)
                index += 3
            } else {
                output.writeInteger(byte)
                index += 1
            }
        }
        return output
    }

    /// What is left at the end of the part: a lone `=` or `=X`, kept as it is.
    mutating func finish() -> ByteBuffer {
        defer { self.pending = [] }
        return ByteBuffer(bytes: self.pending)
    }
}
