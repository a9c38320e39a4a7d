import AioTestSupport
import AioWebSocket
import NIOCore
import Testing

/// Every frame `pieces` decode to.
func decode(_ pieces: [ByteBuffer], role: WSFrameDecoder.Role, limit: Int = 1 << 20) throws -> [WSFrame] {
    var decoder = WSFrameDecoder(role: role, maxPayloadLength: limit)
    var frames: [WSFrame] = []
    for piece in pieces {
        decoder.feed(piece)
        while let frame = try decoder.next() { frames.append(frame) }
    }
    #expect(decoder.bufferedBytes == 0)
    return frames
}

struct FrameCodecTests {
    @Test func maskingMatchesTheDefinitionAtEveryOffset() {
        let key = WSMaskingKey(0x37, 0xFA, 0x21, 0x3D)
        let keyBytes: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        for length in 0..<70 {
            for offset in 0..<4 {
                let original = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
                var masked = original
                masked.withUnsafeMutableBytes { key.apply(to: $0, offset: offset) }
                #expect(masked == original.enumerated().map { $0.element ^ keyBytes[($0.offset + offset) % 4] })
                masked.withUnsafeMutableBytes { key.apply(to: $0, offset: offset) }
                #expect(masked == original)
            }
        }
    }

    /// RFC 6455 §5.7's examples, byte for byte.
    @Test func rfcExamples() throws {
        let unmaskedHello: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        #expect(Array(WSFrameEncoder.encode(WSFrame(opcode: .text, payload: ByteBuffer(string: "Hello"))).readableBytesView) == unmaskedHello)
        let maskedHello: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        let encoded = WSFrameEncoder.encode(WSFrame(opcode: .text, payload: ByteBuffer(string: "Hello")), maskingKey: WSMaskingKey(0x37, 0xFA, 0x21, 0x3D))
        #expect(Array(encoded.readableBytesView) == maskedHello)
        for pieces in Splits.buffers(of: maskedHello) {
            let frames = try decode(pieces, role: .server)
            #expect(frames.count == 1)
            #expect(frames.first.map { String(buffer: $0.payload) } == "Hello")
        }
        // A fragmented unmasked text message: "Hel" then "lo".
        let fragmented: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F]
        for pieces in Splits.buffers(of: fragmented) {
            let frames = try decode(pieces, role: .client)
            #expect(frames.map(\.opcode) == [.text, .continuation])
            #expect(frames.map(\.fin) == [false, true])
        }
        // 256 bytes and 64 KiB binary messages take the 16- and 64-bit lengths.
        #expect(Array(WSFrameEncoder.header(for: WSFrame(opcode: .binary, payload: ByteBuffer(repeating: 0, count: 256))).readableBytesView) == [0x82, 0x7E, 0x01, 0x00])
        #expect(Array(WSFrameEncoder.header(for: WSFrame(opcode: .binary, payload: ByteBuffer(repeating: 0, count: 65536))).readableBytesView) == [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])
    }

    @Test(arguments: [0, 1, 125, 126, 127, 65535, 65536, 70000])
    func roundTripsInEverySplit(length: Int) throws {
        let payload = ByteBuffer(bytes: (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let frames = [
            WSFrame(fin: false, opcode: .binary, payload: payload),
            WSFrame(opcode: .ping, payload: ByteBuffer(string: "p")),
            WSFrame(opcode: .continuation, payload: payload),
        ]
        var wire = ByteBuffer()
        for frame in frames { WSFrameEncoder.encode(frame, maskingKey: .random(), into: &wire) }
        let bytes = Array(wire.readableBytesView)
        for pieces in length > 1000 ? [Splits.buffers(of: bytes)[0], Splits.buffers(of: bytes)[2]] : Splits.buffers(of: bytes) {
            let decoded = try decode(pieces, role: .server)
            #expect(decoded.map(\.opcode) == [.binary, .ping, .continuation])
            #expect(decoded.map(\.fin) == [false, true, true])
            #expect(decoded[0].payload == payload && decoded[2].payload == payload)
        }
    }

    /// Each header a decoder must refuse, with the code it closes with; refused from the
    /// header alone, before any payload.
    @Test(arguments: [
        ([0x81, 0x05], WSFrameDecoder.Role.server, 1002),  // unmasked client frame
        ([0x81, 0x85, 1, 2, 3, 4], .client, 1002),  // masked server frame
        ([0xC1, 0x80, 1, 2, 3, 4], .server, 1002),  // RSV1 without an extension
        ([0xA1, 0x80, 1, 2, 3, 4], .server, 1002),  // RSV2
        ([0x91, 0x80, 1, 2, 3, 4], .server, 1002),  // RSV3
        ([0x83, 0x80, 1, 2, 3, 4], .server, 1002),  // reserved data opcode
        ([0x8B, 0x80, 1, 2, 3, 4], .server, 1002),  // reserved control opcode
        ([0x09, 0x80, 1, 2, 3, 4], .server, 1002),  // fragmented ping
        ([0x89, 0xFE, 0, 126], .server, 1002),  // ping longer than 125
        ([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0], .server, 1002),  // 64-bit length with its top bit
        ([0x82, 0xFE, 0, 5], .server, 1002),  // length not in its shortest form
        ([0x82, 0xFF, 0, 0, 0, 0, 0, 0x20, 0, 0], .server, 1009),  // 2 MiB over a 1 MiB limit
    ] as [([UInt8], WSFrameDecoder.Role, Int)])
    func refusedHeaders(bytes: [UInt8], role: WSFrameDecoder.Role, code: Int) {
        var decoder = WSFrameDecoder(role: role, maxPayloadLength: 1 << 20)
        decoder.feed(ByteBuffer(bytes: bytes))
        let error = #expect(throws: WebSocketError.self) { try decoder.next() }
        #expect(error?.closeCode.rawValue == UInt16(code))
    }

    @Test func rsv1IsTakenWhenAllowed() throws {
        var decoder = WSFrameDecoder(role: .client, maxPayloadLength: 100, allowsRSV1: true)
        decoder.feed(ByteBuffer(bytes: [0xC1, 0x01, 0x41]))
        let frame = try decoder.next()
        #expect(frame?.rsv1 == true)
    }
}
