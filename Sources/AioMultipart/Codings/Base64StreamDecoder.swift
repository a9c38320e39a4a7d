import NIOCore

/// Decodes `Content-Transfer-Encoding: base64` (RFC 2045 §6.8) piece by piece: a quantum split
/// between two pieces is carried over, line breaks and spaces are skipped, anything else outside
/// the alphabet is an error.
struct Base64StreamDecoder {
    private var quantum: UInt32 = 0
    private var count = 0
    private var padding = 0

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        for byte in [UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t")] {
            table[Int(byte)] = 0xFE
        }
        table[Int(UInt8(ascii: "="))] = 0xFD
        return table
    }()

    mutating func decode(_ input: ByteBuffer) throws -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(input.readableBytes / 4 * 3 + 3)
        try input.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                let value = Self.values[Int(byte)]
                switch value {
                case 0xFE:
                    continue
                case 0xFD:
                    guard self.count >= 2 else { throw MultipartError("Misplaced '=' in base64 part") }
                    self.padding += 1
                    self.count += 1
                case 0xFF:
                    throw MultipartError("Invalid character in base64 part")
                default:
                    guard self.padding == 0 else { throw MultipartError("Data after base64 padding") }
                    self.quantum = self.quantum << 6 | UInt32(value)
                    self.count += 1
                }
                if self.count == 4 {
                    let bits = self.quantum << (6 * UInt32(self.padding))
                    output.writeInteger(UInt8(truncatingIfNeeded: bits >> 16))
                    if self.padding < 2 { output.writeInteger(UInt8(truncatingIfNeeded: bits >> 8)) }
                    if self.padding < 1 { output.writeInteger(UInt8(truncatingIfNeeded: bits)) }
                    self.quantum = 0
                    self.count = 0
                    if self.padding > 0 { self.padding = -1 }
                }
            }
        }
        return output
    }

    /// Checks that the input ended on a whole quantum.
    func finish() throws {
        guard self.count == 0 else { throw MultipartError("Truncated base64 part") }
    }
}
