import AioTestSupport
import Testing

@testable import AioWire

/// The word-at-a-time checks agree with the byte-at-a-time definitions.
@Suite("Byte classes")
struct ByteClassTests {
    func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    @Test func everyByteInEveryPosition() {
        for position in 0..<8 {
            for byte in 0...255 {
                var bytes = [UInt8](repeating: 0x41, count: 8)
                bytes[position] = UInt8(byte)
                let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
                let visible = bytes.allSatisfy(HTTPByte.isVisible)
                #expect(HTTPByte.isPrintableASCII(word: word(bytes)) == printable, "byte \(byte) at \(position)")
                #expect(HTTPByte.isVisibleASCII(word: word(bytes)) == visible, "byte \(byte) at \(position)")
            }
        }
    }

    @Test func randomWords() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<200_000 {
            let bytes = (0..<8).map { _ in UInt8.random(in: 0x18...0x84, using: &random) }
            #expect(HTTPByte.isPrintableASCII(word: word(bytes)) == bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
            #expect(HTTPByte.isVisibleASCII(word: word(bytes)) == bytes.allSatisfy(HTTPByte.isVisible))
        }
    }

    @Test func tokenCharacters() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in 0...255 {
            #expect(HTTPByte.isTokenChar(UInt8(byte)) == tchar.contains(UInt8(byte)))
        }
    }
}
