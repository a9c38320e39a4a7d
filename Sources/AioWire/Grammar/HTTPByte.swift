#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Character classes of RFC 9110 and RFC 9112, as branch-light tests on single bytes.
///
/// Every parser in the package validates input through these tests, so there is one definition
/// of "token", "field value" and "request-target" character.
package enum HTTPByte {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let comma: UInt8 = 0x2C
    static let equals: UInt8 = 0x3D
    static let dquote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    /// `tchar` of RFC 9110 §5.6.2: ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``.
    @inline(__always)
    package static func isTokenChar(_ byte: UInt8) -> Bool {
        if byte < 64 {
            return (0x03FF_6CFA_0000_0000 as UInt64) >> UInt64(byte) & 1 != 0
        }
        if byte < 128 {
            return (0x57FF_FFFF_C7FF_FFFE as UInt64) >> UInt64(byte &- 64) & 1 != 0
        }
        return false
    }

    /// A byte allowed inside a field value (RFC 9110 §5.5): VCHAR, obs-text, SP and HTAB.
    @inline(__always)
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == htab
    }

    /// Whitespace of the OWS and BWS rules: SP or HTAB.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == sp || byte == htab
    }

    /// VCHAR: a visible US-ASCII character.
    @inline(__always)
    static func isVisible(_ byte: UInt8) -> Bool {
        byte &- 0x21 < 0x5E
    }

    /// Whether all eight bytes of `word` are printable ASCII (0x20 to 0x7E).
    @inline(__always)
    static func isPrintableASCII(word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word & highs
        let above = ((word &+ ones) | word) & highs
        return below | above == 0
    }

    /// Whether all eight bytes of `word` are VCHARs (0x21 to 0x7E).
    @inline(__always)
    static func isVisibleASCII(word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x21) & ~word & highs
        let above = ((word &+ ones) | word) & highs
        return below | above == 0
    }

    /// DIGIT.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    /// ASCII lower-casing of one byte.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}

extension UnsafeRawBufferPointer {
    /// The index of the first byte at or after `start` that is not a VCHAR, or `count`.
    @inline(__always)
    func endOfVisible(from start: Int) -> Int {
        var index = start
        while index + 8 <= self.count,
            HTTPByte.isVisibleASCII(word: self.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        {
            index += 8
        }
        while index < self.count, HTTPByte.isVisible(self[index]) { index += 1 }
        return index
    }

    /// Whether these bytes equal `lowercase` ignoring ASCII case; `lowercase` must be lower-case.
    @inline(__always)
    func equalsCaseInsensitive(_ lowercase: StaticString) -> Bool {
        guard self.count == lowercase.utf8CodeUnitCount else { return false }
        let other = lowercase.utf8Start
        for index in 0..<self.count where HTTPByte.lowercased(self[index]) != other[index] {
            return false
        }
        return true
    }

    /// The first index in `range` holding `byte`, found with `memchr`.
    @inlinable
    package func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        guard !range.isEmpty, let base = self.baseAddress else { return nil }
        guard let found = memchr(base + range.lowerBound, Int32(byte), range.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }
}
