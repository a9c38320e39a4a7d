/// Tiny image encoders for `/image/jpeg` and `/image/webp`: real files any decoder opens,
/// made here rather than copied in.
enum ImageEncoders {
    /// A baseline JFIF JPEG, greyscale, of 8×8 blocks each of one grey level (`levels` in raster
    /// order, `columns` blocks per row). Every block's DCT has only its DC term, so one
    /// quantisation step of 1 and a Huffman table holding just end-of-block suffice.
    static func jpeg(levels: [UInt8], columns: Int) -> [UInt8] {
        let rows = levels.count / columns
        var bytes: [UInt8] = [0xFF, 0xD8]  // SOI
        bytes += segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])  // APP0
        bytes += segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))  // DQT: table 0, all ones
        bytes += segment(0xC0, [8] + be16(rows * 8) + be16(columns * 8) + [1, 1, 0x11, 0])  // SOF0
        let dcCounts: [UInt8] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
        bytes += segment(0xC4, [0x00] + dcCounts + Array(0...11))  // DHT: DC table 0 (standard)
        bytes += segment(0xC4, [0x10, 1] + [UInt8](repeating: 0, count: 15) + [0x00])  // DHT: AC table 0, EOB only
        bytes += segment(0xDA, [1, 1, 0x00, 0, 63, 0])  // SOS
        let dcCodes = canonicalCodes(dcCounts)
        var writer = BitWriter(msbFirst: true)
        var previous = 0
        for level in levels {
            let dc = 8 * (Int(level) - 128)
            let difference = dc - previous
            previous = dc
            let category = difference == 0 ? 0 : Int.bitWidth - abs(difference).leadingZeroBitCount
            writer.write(dcCodes[category].code, count: dcCodes[category].length)
            if category > 0 {
                let bits = difference > 0 ? difference : difference + (1 << category) - 1
                writer.write(bits, count: category)
            }
            writer.write(0, count: 1)  // EOB: the only AC code, "0"
        }
        writer.padWithOnes()
        for byte in writer.bytes {
            bytes.append(byte)
            if byte == 0xFF { bytes.append(0x00) }  // byte stuffing
        }
        return bytes + [0xFF, 0xD9]  // EOI
    }

    /// A lossless WebP (VP8L) of `width`×`height` pixels all of one ARGB colour: the header, no
    /// transforms, and five prefix codes that are each a single symbol, so the pixels take no
    /// bits at all.
    static func webp(width: Int, height: Int, argb: (a: UInt8, r: UInt8, g: UInt8, b: UInt8)) -> [UInt8] {
        var writer = BitWriter(msbFirst: false)
        writer.write(0x2F, count: 8)  // signature
        writer.write(width - 1, count: 14)
        writer.write(height - 1, count: 14)
        writer.write(argb.a == 0xFF ? 0 : 1, count: 1)  // alpha is used
        writer.write(0, count: 3)  // version
        writer.write(0, count: 1)  // no transform
        writer.write(0, count: 1)  // no colour cache
        writer.write(0, count: 1)  // no meta prefix codes
        for symbol in [argb.g, argb.r, argb.b, argb.a, 0] {  // green, red, blue, alpha, distance
            writer.write(1, count: 1)  // simple code
            writer.write(0, count: 1)  // one symbol
            writer.write(1, count: 1)  // eight bits wide
            writer.write(Int(symbol), count: 8)
        }
        writer.padWithZeros()
        var payload = writer.bytes
        if payload.count % 2 == 1 { payload.append(0) }
        let chunk = Array("VP8L".utf8) + le32(writer.bytes.count) + payload
        return Array("RIFF".utf8) + le32(4 + chunk.count) + Array("WEBP".utf8) + chunk
    }

    private static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + be16(payload.count + 2) + payload
    }

    private static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    private static func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> ($0 * 8)) & 0xFF) } }

    /// The canonical Huffman codes of a JPEG `BITS` list, by symbol order.
    private static func canonicalCodes(_ counts: [UInt8]) -> [(code: Int, length: Int)] {
        var codes: [(Int, Int)] = []
        var code = 0
        for (index, count) in counts.enumerated() {
            for _ in 0..<count {
                codes.append((code, index + 1))
                code += 1
            }
            code <<= 1
        }
        return codes
    }

    /// Packs bits most-significant first (JPEG) or least-significant first (VP8L).
    struct BitWriter {
        let msbFirst: Bool
        private(set) var bytes: [UInt8] = []
        private var current = 0
        private var used = 0

        init(msbFirst: Bool) {
            self.msbFirst = msbFirst
        }

        mutating func write(_ value: Int, count: Int) {
            for index in 0..<count {
                let bit = self.msbFirst ? (value >> (count - 1 - index)) & 1 : (value >> index) & 1
                self.current |= self.msbFirst ? bit << (7 - self.used) : bit << self.used
                self.used += 1
                if self.used == 8 { self.flush() }
            }
        }

        mutating func padWithOnes() {
            while self.used != 0 { self.write(1, count: 1) }
        }

        mutating func padWithZeros() {
            if self.used != 0 { self.flush() }
        }

        private mutating func flush() {
            self.bytes.append(UInt8(self.current))
            self.current = 0
            self.used = 0
        }
    }
}
