import NIOCore

/// The four bytes a client XORs its frames' payloads with (RFC 6455 §5.3).
public struct WSMaskingKey: Sendable, Hashable {
    /// The key's bytes in wire order.
    public let bytes: (UInt8, UInt8, UInt8, UInt8)

    /// A key of the four bytes given in wire order.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        self.bytes = (b0, b1, b2, b3)
    }

    /// A fresh key from the system's random source, as every client frame needs.
    public static func random() -> WSMaskingKey {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt32
        return WSMaskingKey(UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24))
    }

    public static func == (lhs: WSMaskingKey, rhs: WSMaskingKey) -> Bool {
        lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.bytes.0)
        hasher.combine(self.bytes.1)
        hasher.combine(self.bytes.2)
        hasher.combine(self.bytes.3)
    }

    /// The key as the 8 bytes in memory that mask 8 payload bytes starting `phase` bytes into
    /// a 4-byte period.
    @inlinable
    func word(phase: Int) -> UInt64 {
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { out in
            withUnsafeBytes(of: self.bytes) { key in
                for index in 0..<8 { out[index] = key[(index + phase) & 3] }
            }
        }
        return word
    }

    /// XORs `bytes` in place with the key, the first byte being `offset` bytes into the
    /// payload; masking twice unmasks. Eight bytes at a time.
    @inlinable
    public func apply(to bytes: UnsafeMutableRawBufferPointer, offset: Int = 0) {
        let count = bytes.count
        guard count > 0 else { return }
        let word = self.word(phase: offset & 3)
        var index = 0
        while index + 32 <= count {
            for step in stride(from: 0, to: 32, by: 8) {
                let value = bytes.loadUnaligned(fromByteOffset: index + step, as: UInt64.self)
                bytes.storeBytes(of: value ^ word, toByteOffset: index + step, as: UInt64.self)
            }
            index += 32
        }
        while index + 8 <= count {
            let value = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            bytes.storeBytes(of: value ^ word, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        withUnsafeBytes(of: word) { key in
            // index is a multiple of 8, so the pattern lines up with the word's bytes.
            while index < count {
                bytes[index] ^= key[index & 7]
                index += 1
            }
        }
    }

    /// XORs the readable bytes of `buffer` with the key.
    @inlinable
    public func apply(to buffer: inout ByteBuffer, offset: Int = 0) {
        buffer.withUnsafeMutableReadableBytes { self.apply(to: $0, offset: offset) }
    }
}
