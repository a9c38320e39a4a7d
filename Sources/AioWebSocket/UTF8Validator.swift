/// Checks UTF-8 as it arrives in pieces and fails at the first byte that cannot belong to valid
/// UTF-8, as RFC 6455 §8.1 asks of text messages ("fail fast"): a sequence cut between two
/// fragments is fine, an impossible one fails before the message is complete.
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected.
    private var pending: UInt8 = 0
    /// The range the next continuation byte must be in (narrower after E0, ED, F0, F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// A validator at the start of a text.
    public init() {}

    /// Whether everything fed so far ends on a character boundary.
    public var isComplete: Bool { self.pending == 0 }

    /// Feeds `bytes`; false as soon as they cannot continue valid UTF-8.
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            if self.pending == 0 {
                // ASCII, eight bytes at a time.
                while index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                guard index < count else { return true }
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: self.expect(1, 0x80, 0xBF)
                case 0xE0: self.expect(2, 0xA0, 0xBF)
                case 0xE1...0xEC, 0xEE...0xEF: self.expect(2, 0x80, 0xBF)
                case 0xED: self.expect(2, 0x80, 0x9F)
                case 0xF0: self.expect(3, 0x90, 0xBF)
                case 0xF1...0xF3: self.expect(3, 0x80, 0xBF)
                case 0xF4: self.expect(3, 0x80, 0x8F)
                default: return false
                }
            } else {
                let byte = bytes[index]
                guard byte >= self.lower, byte <= self.upper else { return false }
                index += 1
                self.pending -= 1
                self.lower = 0x80
                self.upper = 0xBF
            }
        }
        return true
    }

    private mutating func expect(_ count: UInt8, _ lower: UInt8, _ upper: UInt8) {
        self.pending = count
        self.lower = lower
        self.upper = upper
    }
}
