/// Hexadecimal digits for the whole package: chunk sizes, `%XX` and `=XX` escapes, digests and
/// `\xNN` in messages are read and written with these, and nothing else.
package enum Hex {
    /// Upper-case digits by value.
    package static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    /// Lower-case digits by value.
    package static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of a hexadecimal digit of either case (HEXDIG); nil for any other byte.
    @inline(__always)
    package static func value(_ byte: UInt8) -> UInt8? {
        if byte &- 0x30 < 10 { return byte &- 0x30 }
        let lower = byte | 0x20
        if lower &- 0x61 < 6 { return lower &- 0x61 &+ 10 }
        return nil
    }

    /// `marker` and `byte` in two upper-case digits: `%XX` (percent-encoding), `=XX`
    /// (quoted-printable).
    package static func escape(_ byte: UInt8, into bytes: inout [UInt8], marker: UInt8 = UInt8(ascii: "%")) {
        bytes += [marker, Self.upperDigits[Int(byte >> 4)], Self.upperDigits[Int(byte & 0xF)]]
    }

    /// Two digits for each of `bytes` (a digest, say), lower-case unless `uppercase`.
    package static func string(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let digits = uppercase ? Self.upperDigits : Self.lowerDigits
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `value` in lower-case digits without leading zeros, at least `width` digits (zeros in
    /// front): chunk sizes, boundaries, `\uXXXX`.
    package static func string(_ value: UInt64, width: Int = 1) -> String {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(Self.lowerDigits[Int(rest & 0xF)])
            rest >>= 4
        } while rest > 0
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
