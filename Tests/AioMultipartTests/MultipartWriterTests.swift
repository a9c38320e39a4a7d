import AioMultipart
import Foundation
import HTTPTypes
import NIOCore
import Testing

struct MultipartWriterTests {
    static let binary: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 5) }

    /// Reads `body` back with our reader: every split must give the same parts.
    static func readBack(_ writer: MultipartWriter) async throws -> [Seen] {
        let body = Array(try await writer.collect().readableBytesView)
        if let length = writer.contentLength { #expect(length == body.count) }
        var first: [Seen]?
        for pieces in Pieces.splits(of: body).prefix(4) {
            let reader = try MultipartReader(headers: [.contentType: writer.contentType], body: pieces)
            let seen = try await readAll(reader)
            if let first { #expect(seen == first) }
            first = seen
        }
        return first ?? []
    }

    @Test func everyPayloadKindRoundTrips() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aio-writer-\(UUID().uuidString)").path
        try Data(Self.binary).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        var nested = try MultipartWriter(subtype: "mixed")
        try nested.append(text: "inside", disposition: ("attachment", [("filename", "in.txt")]))
        var writer = try MultipartWriter(subtype: "form-data")
        try writer.append(text: "plain ✓", disposition: ("form-data", [("name", "text")]))
        try writer.append(json: ["k": 1], disposition: ("form-data", [("name", "json")]))
        try writer.append(form: [("a", "1 2"), ("b", "é")], disposition: ("form-data", [("name", "form")]))
        try writer.append(file: path, disposition: ("form-data", [("name", "file"), ("filename", "données.bin")]))
        let pieces = Pieces(Self.binary, cuts: [100, 4000])
        try writer.append(stream: pieces, length: Self.binary.count, disposition: ("form-data", [("name", "stream")]))
        try writer.append(multipart: nested, disposition: ("form-data", [("name", "nested")]))
        #expect(writer.contentLength != nil)

        let seen = try await Self.readBack(writer)
        #expect(seen.count == 6)
        #expect(seen[0] == .part(name: "text", filename: nil, body: Array("plain ✓".utf8)))
        #expect(seen[1] == .part(name: "json", filename: nil, body: Array(#"{"k":1}"#.utf8)))
        #expect(seen[2] == .part(name: "form", filename: nil, body: Array("a=1+2&b=%C3%A9".utf8)))
        #expect(seen[3] == .part(name: "file", filename: "données.bin", body: Self.binary))
        #expect(seen[4] == .part(name: "stream", filename: nil, body: Self.binary))
        #expect(seen[5] == .nested([.part(name: nil, filename: "in.txt", body: Array("inside".utf8))]))
    }

    @Test(arguments: [
        (TransferEncoding?.some(.base64), ContentEncoding?.none),
        (.some(.quotedPrintable), .none),
        (.none, .some(.gzip)),
        (.none, .some(.deflate)),
        (.some(.base64), .some(.gzip)),
        (.some(.quotedPrintable), .some(.deflate)),
    ])
    func encodingsRoundTrip(_ transfer: TransferEncoding?, _ content: ContentEncoding?) async throws {
        let text = Array("line one\r\nline two with trailing space \r\n= equals\tand tab\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 200)
        for payload in [Self.binary, text, []] {
            var writer = try MultipartWriter()
            try writer.append(bytes: ByteBuffer(bytes: payload), transferEncoding: transfer, contentEncoding: content)
            let stream = Pieces(payload, cuts: [1, 2, 3, 77, 1000])
            try writer.append(BodyPartWriter(.stream(stream, length: nil), transferEncoding: transfer, contentEncoding: content))
            #expect(try await Self.readBack(writer) == [.part(name: nil, filename: nil, body: payload), .part(name: nil, filename: nil, body: payload)])
        }
    }

    @Test func encodedLinesStayShort() async throws {
        for transfer in [TransferEncoding.base64, .quotedPrintable] {
            var writer = try MultipartWriter(boundary: "b")
            try writer.append(bytes: ByteBuffer(bytes: Self.binary), transferEncoding: transfer)
            let body = String(decoding: try await writer.collect().readableBytesView, as: UTF8.self)
            let longest = body.components(separatedBy: "\r\n").map(\.utf8.count).max() ?? 0
            #expect(longest <= 76, "\(transfer)")
        }
    }

    @Test func unknownSizesMeanNoContentLength() throws {
        var writer = try MultipartWriter()
        try writer.append(bytes: ByteBuffer(string: "x"))
        #expect(writer.contentLength != nil)
        try writer.append(stream: Pieces([1, 2], cuts: []))
        #expect(writer.contentLength == nil)
        var compressed = try MultipartWriter()
        try compressed.append(bytes: ByteBuffer(string: "x"), contentEncoding: .gzip)
        #expect(compressed.contentLength == nil)
    }

    @Test func boundaryRules() throws {
        let first = try MultipartWriter()
        let second = try MultipartWriter()
        #expect(first.boundary != second.boundary)
        #expect(first.boundary.count == 32)
        #expect(throws: MultipartError.self) { try MultipartWriter(boundary: String(repeating: "a", count: 71)) }
        #expect(throws: MultipartError.self) { try MultipartWriter(boundary: "bad\"quote") }
        var writer = try MultipartWriter(boundary: "sep")
        #expect(throws: MultipartError.self) { try writer.append(text: "a line\r\n--sep\r\nsmuggled") }
        #expect(try MultipartWriter(boundary: "has space").contentType == #"multipart/mixed; boundary="has space""#)
    }
}

struct FormDataTests {
    @Test func simpleFieldsAreURLEncoded() throws {
        var form = FormData()
        form.add("q", "a b&c")
        form.add("q", "é")
        guard case .urlencoded(let body) = try form.encode() else { Issue.record("not urlencoded"); return }
        #expect(String(buffer: body) == "q=a+b%26c&q=%C3%A9")
        #expect(try form.encode().contentType == "application/x-www-form-urlencoded")
    }

    @Test func aFileMakesItMultipart() async throws {
        var form = FormData()
        form.add("title", "Holiday")
        form.add("photo", bytes: ByteBuffer(string: "JPEG"), filename: "plage été.jpg", contentType: "image/jpeg")
        form.add("raw", bytes: ByteBuffer(string: "R"))
        #expect(form.isMultipart)
        guard case .multipart(let writer) = try form.encode() else { Issue.record("not multipart"); return }
        #expect(writer.contentType.hasPrefix("multipart/form-data; boundary="))
        let seen = try await MultipartWriterTests.readBack(writer)
        #expect(seen == [
            .part(name: "title", filename: nil, body: Array("Holiday".utf8)),
            .part(name: "photo", filename: "plage été.jpg", body: Array("JPEG".utf8)),
            .part(name: "raw", filename: "raw", body: Array("R".utf8)),
        ])
    }
}
