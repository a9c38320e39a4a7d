/// Hexadecimal digits, for percent-encoding and quoted-printable.
enum Hex {
    /// Upper-case digits by value.
    static let digits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The value of a hexadecimal digit of either case; nil for anything else.
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `%XX` for `byte`.
    static func escape(_ byte: UInt8, into bytes: inout [UInt8], marker: UInt8 = UInt8(ascii: "%")) {
        bytes += [marker, Self.digits[Int(byte >> 4)], Self.digits[Int(byte & 0xF)]]
    }
}
