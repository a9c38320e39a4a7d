import NIOCore

/// Base64 in CRLF-separated 76-character lines, piece by piece: up to two bytes wait for the
/// next piece to complete a quantum.
struct Base64StreamEncoder {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private var carry: [UInt8] = []
    private var column = 0

    /// The encoded length of `count` bytes.
    static func length(of count: Int) -> Int {
        let characters = (count + 2) / 3 * 4
        return characters + max(0, (characters - 1) / 76) * 2
    }

    mutating func encode(_ piece: ByteBuffer, last: Bool) -> ByteBuffer {
        var bytes = self.carry
        bytes.append(contentsOf: piece.readableBytesView)
        let whole = last ? bytes.count : bytes.count / 3 * 3
        self.carry = Array(bytes[whole...])
        var output = ByteBuffer()
        output.reserveCapacity(Self.length(of: whole) + 2)
        var index = 0
        while index < whole {
            let count = min(3, whole - index)
            var value = UInt32(bytes[index]) << 16
            if count > 1 { value |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { value |= UInt32(bytes[index + 2]) }
            if self.column == 76 {
                output.writeStaticString("\r\n")
                self.column = 0
            }
            for position in 0..<4 {
                output.writeInteger(position <= count ? Self.alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "="))
            }
            self.column += 4
            index += 3
        }
        return output
    }
}
