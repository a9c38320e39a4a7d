import AioWebSocket
import Testing

struct UTF8ValidatorTests {
    /// Feeds `bytes` in pieces cut at `cut`; the index of the byte the validator failed in the
    /// piece-by-piece run, checked against the whole run.
    func failure(_ bytes: [UInt8], cut: Int) -> Bool? {
        var validator = UTF8Validator()
        let ok = bytes.withUnsafeBytes { raw in
            validator.validate(UnsafeRawBufferPointer(rebasing: raw[..<cut])) && validator.validate(UnsafeRawBufferPointer(rebasing: raw[cut...]))
        }
        return ok ? validator.isComplete : nil
    }

    @Test func validTextInEverySplit() {
        for text in ["", "hello", "κόσμε", "日本語テキスト", "emoji 🎉 and 𝄞", String(repeating: "ascii ", count: 20) + "é"] {
            let bytes = Array(text.utf8)
            for cut in 0...bytes.count {
                #expect(self.failure(bytes, cut: cut) == true, "\(text) cut at \(cut)")
            }
        }
    }

    @Test(arguments: [
        [0xC0, 0x80],  // overlong NUL
        [0xC1, 0xBF],  // overlong
        [0xE0, 0x80, 0x80],  // overlong three-byte
        [0xED, 0xA0, 0x80],  // surrogate
        [0xF0, 0x80, 0x80, 0x80],  // overlong four-byte
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],  // never a lead byte
        [0xFF],
        [0x80],  // lone continuation
        [0xE2, 0x82, 0x41],  // sequence broken by ASCII
    ] as [[UInt8]])
    func invalidSequencesFailFast(sequence: [UInt8]) {
        let bytes = Array("κόσμε".utf8) + sequence + Array("tail".utf8)
        for cut in 0...bytes.count {
            #expect(self.failure(bytes, cut: cut) == nil, "\(sequence) cut at \(cut)")
        }
        // Fail fast: the bytes up to the offending one already fail, without the rest.
        var validator = UTF8Validator()
        let prefix = Array("κόσμε".utf8) + sequence
        #expect(!prefix.withUnsafeBytes { validator.validate($0) })
    }

    @Test func truncatedSequenceIsIncomplete() {
        var validator = UTF8Validator()
        let bytes: [UInt8] = [0x41, 0xF0, 0x9F, 0x8E]
        #expect(bytes.withUnsafeBytes { validator.validate($0) })
        #expect(!validator.isComplete)
    }
}
