import AioWire
import NIOCore

/// Quoted-printable, piece by piece: CRLF line breaks stay, every other byte outside printable
/// ASCII (and `=`) becomes `=XX`, lines are kept under 76 characters with soft breaks.
struct QuotedPrintableEncoder {
    private var column = 0
    /// A CR at the end of the last piece, waiting to see whether LF follows.
    private var pendingCR = false

    mutating func encode(_ piece: ByteBuffer, last: Bool) -> ByteBuffer {
        var bytes = [UInt8]()
        bytes.reserveCapacity(piece.readableBytes + 16)
        var input = Array(piece.readableBytesView)
        if self.pendingCR {
            input.insert(0x0D, at: 0)
            self.pendingCR = false
        }
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == 0x0D {
                if index + 1 == input.count, !last {
                    self.pendingCR = true
                    break
                }
                if index + 1 < input.count, input[index + 1] == 0x0A {
                    bytes += [0x0D, 0x0A]
                    self.column = 0
                    index += 2
                    continue
                }
            }
            let nextIsBreak = index + 1 == input.count || input[index + 1] == 0x0D
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !nextIsBreak)
            let width = literal ? 1 : 3
            if self.column + width > 75 {
                bytes += [UInt8(ascii: "="), 0x0D, 0x0A]
                self.column = 0
            }
            if literal {
                bytes.append(byte)
            } else {
                Hex.escape(byte, into: &bytes, marker: UInt8(ascii: "="))
            }
            self.column += width
            index += 1
        }
        return ByteBuffer(bytes: bytes)
    }
}
