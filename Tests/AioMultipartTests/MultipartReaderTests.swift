import AioTestSupport
import AioMultipart
import AioStreams
import HTTPTypes
import NIOCore
import Testing

/// Pieces of a body handed out one after another, as a socket would.
struct Pieces: AsyncSequence, Sendable {
    let pieces: [ByteBuffer]

    /// `bytes` cut at `cuts` (sorted offsets).
    init(_ bytes: [UInt8], cuts: [Int]) {
        var pieces: [ByteBuffer] = []
        var start = 0
        for cut in cuts.map({ Swift.min($0, bytes.count) }) + [bytes.count] where cut > start {
            pieces.append(ByteBuffer(bytes: bytes[start..<cut]))
            start = cut
        }
        self.pieces = pieces
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: IndexingIterator<[ByteBuffer]>
        mutating func next() async throws -> ByteBuffer? { self.iterator.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: self.pieces.makeIterator()) }

    /// The splits every codec test feeds: whole, one byte at a time, and seeded random cuts.
    static func splits(of bytes: [UInt8]) -> [Pieces] {
        var generator = SplitMix64(seed: UInt64(bytes.count))
        var result = [Pieces(bytes, cuts: []), Pieces(bytes, cuts: Array(0..<bytes.count))]
        for _ in 0..<8 {
            let cuts = (0..<Int.random(in: 1...12, using: &generator)).map { _ in Int.random(in: 0...bytes.count, using: &generator) }
            result.append(Pieces(bytes, cuts: cuts.sorted()))
        }
        return result
    }
}

/// What a test sees of a part: its name, file name and decoded bytes, or nested parts.
indirect enum Seen: Equatable, CustomStringConvertible {
    case part(name: String?, filename: String?, body: [UInt8])
    case nested([Seen])

    var description: String {
        switch self {
        case .part(let name, let filename, let body): "part(\(name ?? "-"), \(filename ?? "-"), \(String(decoding: body, as: UTF8.self)))"
        case .nested(let parts): "nested(\(parts))"
        }
    }
}

func readAll(_ reader: MultipartReader) async throws -> [Seen] {
    var seen: [Seen] = []
    while let part = try await reader.next() {
        switch part {
        case .part(let part):
            var body: [UInt8] = []
            for try await chunk in part { body += chunk.readableBytesView }
            seen.append(.part(name: part.name, filename: part.filename, body: body))
        case .multipart(let nested):
            seen.append(.nested(try await readAll(nested)))
        }
    }
    return seen
}

func headers(boundary: String, type: String = "multipart/form-data") -> HTTPFields {
    [.contentType: "\(type); boundary=\(boundary)"]
}

func crlf(_ text: String) -> [UInt8] {
    Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
}

struct MultipartReaderTests {
    static let form = crlf(
        """
        preamble to skip
        --XyZ
        Content-Disposition: form-data; name="title"

        Hello
        --XyZ
        Content-Disposition: form-data; name="file"; filename="a.txt"
        Content-Type: text/plain

        line one
        --XyZ is not a boundary here, nor is
        --XyZa
        --XyZ
        Content-Disposition: form-data; name="empty"

        \n--XyZ--
        epilogue
        """
    )

    static let formParts: [Seen] = [
        .part(name: "title", filename: nil, body: Array("Hello".utf8)),
        .part(name: "file", filename: "a.txt", body: crlf("line one\n--XyZ is not a boundary here, nor is\n--XyZa")),
        .part(name: "empty", filename: nil, body: []),
    ]

    @Test func everySplitGivesTheSameParts() async throws {
        // The "\r\n--XyZa" in the file part starts like a delimiter: it must be taken as data.
        for pieces in Pieces.splits(of: Self.form) {
            let reader = try MultipartReader(headers: headers(boundary: "XyZ"), body: pieces)
            #expect(try await readAll(reader) == Self.formParts, "\(pieces.pieces.map(\.readableBytes))")
            #expect(reader.atEOF)
        }
    }

    @Test func boundaryRightAtTheStartAndTransportPadding() async throws {
        let body = crlf("--b  \t\nContent-Disposition: form-data; name=a\n\n1\n--b\n\n2\n--b--")
        for pieces in Pieces.splits(of: body) {
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces)
            #expect(try await readAll(reader) == [.part(name: "a", filename: nil, body: [0x31]), .part(name: nil, filename: nil, body: [0x32])])
        }
    }

    @Test func nestedMixedInsideFormData() async throws {
        let body = crlf(
            """
            --outer
            Content-Disposition: form-data; name="files"
            Content-Type: multipart/mixed; boundary=inner

            --inner
            Content-Disposition: file; filename="one.txt"

            first
            --inner
            Content-Disposition: file; filename="two.txt"

            second
            --inner--
            ignored epilogue of the inner body
            --outer
            Content-Disposition: form-data; name="after"

            tail
            --outer--

            """
        )
        let expected: [Seen] = [
            .nested([
                .part(name: nil, filename: "one.txt", body: Array("first".utf8)),
                .part(name: nil, filename: "two.txt", body: Array("second".utf8)),
            ]),
            .part(name: "after", filename: nil, body: Array("tail".utf8)),
        ]
        for pieces in Pieces.splits(of: body) {
            let reader = try MultipartReader(headers: headers(boundary: "outer"), body: pieces)
            #expect(try await readAll(reader) == expected)
        }
        // Skipping the nested body without reading it lands on the next outer part.
        let reader = try MultipartReader(headers: headers(boundary: "outer"), body: Pieces(body, cuts: [7, 90]))
        _ = try await reader.next()
        guard case .part(let after)? = try await reader.next() else { Issue.record("no second part"); return }
        #expect(after.name == "after")
        #expect(try await reader.next() == nil)
    }

    @Test(arguments: [
        "--b\r\n\r\nno closing boundary",
        "--b\r\n\r\ndata\r\n--b",
        "no boundary at all",
        "",
        "--b\r\nContent-Disposition: form-data; name=a\r\n",
    ])
    func truncatedBodiesAreErrors(_ text: String) async throws {
        let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(Array(text.utf8), cuts: []))
        let error = await #expect(throws: MultipartError.self) { try await readAll(reader) }
        #expect(error?.status == .badRequest)
    }

    @Test(arguments: ["a b ", String(repeating: "x", count: 71), "semi;colon", "", "é"])
    func invalidBoundariesAreRefused(_ boundary: String) {
        let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\"\(boundary)\""]
        #expect(throws: MultipartError.self) { try MultipartReader(headers: headers, body: Pieces([], cuts: [])) }
    }

    @Test func notMultipartIsRefused() {
        #expect(throws: MultipartError.self) {
            try MultipartReader(headers: [.contentType: "text/plain"], body: Pieces([], cuts: []))
        }
        #expect(throws: MultipartError.self) { try MultipartReader(headers: [:], body: Pieces([], cuts: [])) }
    }

    @Test func malformedBoundaryLineAndHeaders() async throws {
        // A boundary followed by other text is no boundary: here it is preamble.
        let preamble = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(Array("--b junk\r\n\r\nx\r\n--b--".utf8), cuts: []))
        #expect(try await readAll(preamble) == [])
        for text in ["--b\r\nNo colon here\r\n\r\nx\r\n--b--", "--b\r\n Folded: x\r\n\r\nx\r\n--b--"] {
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(Array(text.utf8), cuts: []))
            await #expect(throws: MultipartError.self) { try await readAll(reader) }
        }
    }

    @Test func limitsAnswer413() async throws {
        let many = (0..<5).map { "--b\r\n\r\n\($0)\r\n" }.joined() + "--b--"
        var configuration = MultipartConfiguration(maxParts: 4)
        var reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(Array(many.utf8), cuts: []), configuration: configuration)
        var error = await #expect(throws: MultipartError.self) { try await readAll(reader) }
        #expect(error?.status == .contentTooLarge)

        let longHeader = "--b\r\nX-Long: \(String(repeating: "v", count: 20000))\r\n\r\nx\r\n--b--"
        configuration = MultipartConfiguration()
        reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(Array(longHeader.utf8), cuts: [100, 5000]), configuration: configuration)
        error = await #expect(throws: MultipartError.self) { try await readAll(reader) }
        #expect(error?.status == .contentTooLarge)

        let big = "--b\r\n\r\n\(String(repeating: "x", count: 2000))\r\n--b--"
        configuration.maxFieldSize = 1000
        reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(Array(big.utf8), cuts: []), configuration: configuration)
        guard case .part(let part)? = try await reader.next() else { Issue.record("no part"); return }
        error = await #expect(throws: MultipartError.self) { try await part.text() }
        #expect(error?.status == .contentTooLarge)
    }

    /// `text()` reads a part whole in one step; in every split it must still tell delimiters
    /// from data that looks like one, keep what was read before by `readChunk`, and apply the
    /// limit to exactly the part's bytes.
    @Test func wholePartReadsInEverySplit() async throws {
        let tricky = "a\r\n--bX\r\n--b junk\r\n--\r\n-b"
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"one\"\r\n\r\n\(tricky)\r\n--b  \r\n\r\n12345\r\n--b\r\n\r\nlast\r\n--b--\r\nepilogue".utf8)
        for pieces in Pieces.splits(of: body) {
            var configuration = MultipartConfiguration()
            configuration.maxFieldSize = 5
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces, configuration: configuration)
            guard case .part(let first)? = try await reader.next() else { Issue.record("no first part"); return }
            #expect(first.name == "one")
            #expect(try await first.text(upTo: tricky.utf8.count) == tricky)
            #expect(first.atEOF)
            #expect(try await first.readChunk() == nil)
            guard case .part(let second)? = try await reader.next() else { Issue.record("no second part"); return }
            let head = try await second.readChunk(size: 2)
            #expect(head.map { String(buffer: $0) } == String("12345".prefix(head?.readableBytes ?? 0)))
            #expect(try await String(buffer: head ?? ByteBuffer()) + second.text(upTo: 5) == "12345")
            guard case .part(let third)? = try await reader.next() else { Issue.record("no third part"); return }
            let error = await #expect(throws: MultipartError.self) { try await third.text(upTo: 3) }
            #expect(error?.status == .contentTooLarge)
        }
        // Exactly at the limit is allowed, one byte over is not, however the bytes arrive.
        let exact = Array("--b\r\n\r\n12345\r\n--b--".utf8)
        for pieces in Pieces.splits(of: exact) {
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces)
            guard case .part(let part)? = try await reader.next() else { Issue.record("no part"); return }
            #expect(try await part.text(upTo: 5) == "12345")
            #expect(try await reader.next() == nil)
        }
        for pieces in Pieces.splits(of: exact) {
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces)
            guard case .part(let part)? = try await reader.next() else { Issue.record("no part"); return }
            await #expect(throws: MultipartError.self) { try await part.text(upTo: 4) }
        }
    }

    @Test func readersDroppedMidwayAreFreed() async throws {
        weak var weakReader: MultipartReader?
        weak var weakPart: BodyPartReader?
        weak var weakNested: MultipartReader?
        do {
            let body = crlf("--b\nContent-Type: multipart/mixed; boundary=c\n\n--c\n\nhalf a part")
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(body, cuts: [9]))
            guard case .multipart(let nested)? = try await reader.next() else { Issue.record("no nested body"); return }
            guard case .part(let part)? = try await nested.next() else { Issue.record("no part"); return }
            await #expect(throws: MultipartError.self) { try await part.read() }
            (weakReader, weakPart, weakNested) = (reader, part, nested)
        }
        #expect(weakReader == nil)
        #expect(weakPart == nil)
        #expect(weakNested == nil)
    }

    @Test func aPartLeftBehindEndsWhenTheReaderMovesOn() async throws {
        let body = crlf("--b\n\nfirst\n--b\n\nsecond\n--b--")
        let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(body, cuts: []))
        guard case .part(let first)? = try await reader.next() else { Issue.record("no part"); return }
        guard case .part(let second)? = try await reader.next() else { Issue.record("no part"); return }
        #expect(try await first.readChunk() == nil)
        #expect(first.atEOF)
        #expect(String(buffer: try await second.read()) == "second")
    }

    @Test func readLineReleaseAndRawChunks() async throws {
        let body = crlf("--b\n\nfirst line\nsecond\n--b\n\nskipped entirely\n--b\n\nlast\n--b--")
        for pieces in Pieces.splits(of: body) {
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces)
            guard case .part(let first)? = try await reader.next() else { Issue.record("no part"); return }
            #expect(try await first.readLine().map { String(buffer: $0) } == "first line\r\n")
            #expect(try await first.readLine().map { String(buffer: $0) } == "second")
            #expect(try await first.readLine() == nil)
            #expect(first.atEOF)
            guard case .part(let second)? = try await reader.next() else { Issue.record("no part"); return }
            try await second.release()
            #expect(second.atEOF)
            guard case .part(let third)? = try await reader.next() else { Issue.record("no part"); return }
            #expect(String(buffer: try await third.read()) == "last")
            #expect(try await reader.next() == nil)
        }
    }

    @Test func textJSONAndForm() async throws {
        let body: [UInt8] =
            Array("--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf".utf8) + [0xE9]
            + Array("\r\n--b\r\nContent-Type: application/json\r\n\r\n{\"n\": 3}\r\n--b\r\n\r\na=1&b=x+y&a=%C3%A9\r\n--b--".utf8)
        struct Payload: Decodable, Equatable { let n: Int }
        let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(body, cuts: [10, 40]))
        guard case .part(let text)? = try await reader.next() else { Issue.record("no part"); return }
        #expect(try await text.text() == "café")
        guard case .part(let json)? = try await reader.next() else { Issue.record("no part"); return }
        #expect(try await json.json(as: Payload.self) == Payload(n: 3))
        guard case .part(let form)? = try await reader.next() else { Issue.record("no part"); return }
        let fields = try await form.form()
        #expect(fields.all("a") == ["1", "é"])
        #expect(fields["b"] == "x y")
    }

    /// The fields that steer reading are found in the raw section whatever their case and
    /// padding, the first of a repeated one counts, and `headers` gives every field as sent.
    @Test func steeringFieldsAnyCaseAndLazyHeaders() async throws {
        let encoded = Array(ByteBuffer(bytes: Array("caf".utf8) + [0xE9]).readableBytesView.base64Lines().utf8)
        let body = Array("--b\r\nCONTENT-transfer-ENCODING:\t base64 \r\nX-Note: a\r\ncontent-type:text/plain; charset=latin-1\r\nContent-Type: text/plain; charset=klingon\r\n\r\n".utf8)
            + encoded + Array("\r\n--b--".utf8)
        for pieces in Pieces.splits(of: body) {
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces)
            guard case .part(let part)? = try await reader.next() else { Issue.record("no part"); return }
            #expect(try await part.text() == "café")
            #expect(part.headers.map(\.name.rawName) == ["CONTENT-transfer-ENCODING", "X-Note", "content-type", "Content-Type"])
            #expect(part.headers[values: .contentType] == ["text/plain; charset=latin-1", "text/plain; charset=klingon"])
            #expect(part.contentType.parameters["charset"] == "latin-1")
        }
    }

    @Test func unknownCharsetAndBadUTF8AreErrors() async throws {
        let body = Array("--b\r\nContent-Type: text/plain; charset=klingon\r\n\r\nx\r\n--b\r\n\r\n".utf8) + [0xFF] + Array("\r\n--b--".utf8)
        let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(body, cuts: []))
        guard case .part(let first)? = try await reader.next() else { Issue.record("no part"); return }
        await #expect(throws: MultipartError.self) { try await first.text() }
        guard case .part(let second)? = try await reader.next() else { Issue.record("no part"); return }
        await #expect(throws: MultipartError.self) { try await second.text() }
    }
}

struct PartDecodingTests {
    static let payload: [UInt8] = Array((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 13) })

    static func body(headers: String, content: [UInt8]) -> [UInt8] {
        Array("--b\r\n\(headers)\r\n\r\n".utf8) + content + Array("\r\n--b--\r\n".utf8)
    }

    static func decoded(_ body: [UInt8]) async throws -> [[UInt8]] {
        var results: [[UInt8]] = []
        for pieces in Pieces.splits(of: body) {
            let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces)
            guard case .part(let part)? = try await reader.next() else { throw MultipartError("no part") }
            results.append(Array(try await part.read(decode: true, upTo: 1 << 20).readableBytesView))
        }
        return results
    }

    static func compressed(_ bytes: [UInt8], _ format: CompressionFormat) throws -> [UInt8] {
        Array(try StreamCompressor.compress(ByteBuffer(bytes: bytes), format: format).readableBytesView)
    }

    @Test func base64() async throws {
        let encoded = Array(ByteBuffer(bytes: Self.payload).readableBytesView.base64Lines().utf8)
        for result in try await Self.decoded(Self.body(headers: "Content-Transfer-Encoding: base64", content: encoded)) {
            #expect(result == Self.payload)
        }
    }

    @Test func quotedPrintable() async throws {
        let encoded = Array("caf=C3=A9 =3D equals, soft=\r\nbreak, lower=c3=a9, bad =ZZ, end=".utf8)
        for result in try await Self.decoded(Self.body(headers: "Content-Transfer-Encoding: quoted-printable", content: encoded)) {
            #expect(String(decoding: result, as: UTF8.self) == "café = equals, softbreak, loweré, bad =ZZ, end=")
        }
    }

    @Test(arguments: ["gzip", "deflate-zlib", "deflate-raw"])
    func contentEncodings(_ name: String) async throws {
        let format: CompressionFormat = name == "gzip" ? .gzip : name == "deflate-zlib" ? .zlib : .rawDeflate()
        let header = "Content-Encoding: \(name == "gzip" ? "gzip" : "deflate")"
        for result in try await Self.decoded(Self.body(headers: header, content: try Self.compressed(Self.payload, format))) {
            #expect(result == Self.payload)
        }
    }

    /// A compressed part cut short, or with bytes after its end, is an error (400), never a short
    /// part; gzip members in a row are one part.
    @Test(arguments: ["gzip", "deflate-zlib", "deflate-raw"])
    func compressedPartsEndWhereTheirStreamsDo(_ name: String) async throws {
        let format: CompressionFormat = name == "gzip" ? .gzip : name == "deflate-zlib" ? .zlib : .rawDeflate()
        let header = "Content-Encoding: \(name == "gzip" ? "gzip" : "deflate")"
        let whole = try Self.compressed(Self.payload, format)
        for content in [Array(whole.dropLast(3)), whole + Array("junk".utf8)] {
            for pieces in Pieces.splits(of: Self.body(headers: header, content: content)) {
                let reader = try MultipartReader(headers: headers(boundary: "b"), body: pieces)
                guard case .part(let part)? = try await reader.next() else { throw MultipartError("no part") }
                let error = await #expect(throws: MultipartError.self) { try await part.read(decode: true) }
                #expect(error?.status == .badRequest)
            }
        }
        if format == .gzip {
            let twoMembers = try Self.compressed(Array(Self.payload.prefix(100)), .gzip) + Self.compressed(Array(Self.payload.dropFirst(100)), .gzip)
            for result in try await Self.decoded(Self.body(headers: header, content: twoMembers)) {
                #expect(result == Self.payload)
            }
        }
    }

    @Test func base64OfGzip() async throws {
        let gzipped = try Self.compressed(Self.payload, .gzip)
        let encoded = Array(ByteBuffer(bytes: gzipped).readableBytesView.base64Lines().utf8)
        let body = Self.body(headers: "Content-Transfer-Encoding: base64\r\nContent-Encoding: gzip", content: encoded)
        for result in try await Self.decoded(body) {
            #expect(result == Self.payload)
        }
    }

    @Test func zipBombsStopAtTheLimit() async throws {
        let bomb = try Self.compressed([UInt8](repeating: 0, count: 4 << 20), .gzip)
        #expect(bomb.count < 10000)
        var configuration = MultipartConfiguration()
        configuration.maxDecompressedSize = 1 << 20
        let body = Self.body(headers: "Content-Encoding: gzip", content: bomb)
        let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(body, cuts: []), configuration: configuration)
        guard case .part(let part)? = try await reader.next() else { Issue.record("no part"); return }
        let error = await #expect(throws: MultipartError.self) {
            for try await _ in part {}
        }
        #expect(error?.status == .contentTooLarge)
    }

    @Test(arguments: [
        ("Content-Transfer-Encoding: base64", "not*base64"),
        ("Content-Transfer-Encoding: base64", "QUJD="),
        ("Content-Transfer-Encoding: base64", "QUI"),
        ("Content-Transfer-Encoding: uuencode", "x"),
        ("Content-Encoding: br", "x"),
        ("Content-Encoding: gzip", "not gzip at all"),
    ])
    func badEncodingsAreErrors(_ header: String, _ content: String) async throws {
        let reader = try MultipartReader(headers: headers(boundary: "b"), body: Pieces(Self.body(headers: header, content: Array(content.utf8)), cuts: []))
        guard case .part(let part)? = try await reader.next() else { Issue.record("no part"); return }
        await #expect(throws: MultipartError.self) { try await part.read(decode: true) }
    }
}

extension Collection<UInt8> {
    /// Base64 in 76-character lines, as MIME writes it.
    func base64Lines() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let bytes = Array(self)
        var text = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<Swift.min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                text.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : "=")
            }
            index += 3
            if index % 57 == 0 { text += "\r\n" }
        }
        return text
    }
}
