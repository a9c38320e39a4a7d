import NIOCore

/// The ways codec tests cut their input: whole, one byte at a time, and at seeded random places,
/// so that a parser fed in any split is seen to give the same result, and a failure replays.
public enum Splits {
    /// One piece of `count` bytes.
    public static func whole(_ count: Int) -> [Int] { [count] }

    /// `count` pieces of one byte.
    public static func bytewise(_ count: Int) -> [Int] { Array(repeating: 1, count: count) }

    /// Pieces of 1 to 17 bytes, sized by a generator seeded with `seed`.
    public static func random(_ count: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed)
        var pieces: [Int] = []
        var left = count
        while left > 0 {
            let size = min(left, Int(generator.next() % 17) + 1)
            pieces.append(size)
            left -= size
        }
        return pieces
    }

    /// Whole, byte by byte, and eight random splits: the piece sizes for `count` bytes.
    public static func all(_ count: Int, seed: UInt64 = 0x5EED) -> [[Int]] {
        [whole(count), bytewise(count)] + (0..<8).map { random(count, seed: seed &+ UInt64($0)) }
    }

    /// `bytes` cut into pieces of `sizes`.
    public static func pieces(_ bytes: [UInt8], sizes: [Int]) -> [ByteBuffer] {
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return ByteBuffer(bytes: bytes[start..<(start + size)])
        }
    }

    /// `bytes` cut in each split of ``all(_:seed:)``.
    public static func buffers(of bytes: [UInt8], seed: UInt64 = 0x5EED) -> [[ByteBuffer]] {
        all(bytes.count, seed: seed).map { pieces(bytes, sizes: $0) }
    }
}
