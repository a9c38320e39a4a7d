/// CRC-32C (Castagnoli, RFC 3720 appendix B.4), which PROXY protocol version 2 headers may carry
/// to protect themselves.
enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    /// The state before any byte; ``finish(_:)`` turns a state into the checksum.
    static let start: UInt32 = 0xFFFF_FFFF

    /// The state after `bytes`, from `crc`: a checksum computed piece by piece.
    static func update(_ crc: UInt32, _ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = crc
        for byte in bytes { crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc
    }

    /// The checksum of the bytes `crc` has seen.
    static func finish(_ crc: UInt32) -> UInt32 { crc ^ 0xFFFF_FFFF }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        Self.finish(Self.update(Self.start, bytes))
    }
}
