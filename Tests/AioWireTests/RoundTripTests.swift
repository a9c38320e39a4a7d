import AioTestSupport
import AioWire
import HTTPTypes
import NIOCore
import Testing

/// Property tests: random messages serialize, then parse in random splits, to the same values.
@Suite("Serialize then parse")
struct RoundTripTests {
    static let tokenChars = Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .options, .query]

    static func token(_ random: inout SplitMix64, _ maxLength: Int) -> String {
        let count = Int.random(in: 1...maxLength, using: &random)
        return String(decoding: (0..<count).map { _ in tokenChars.randomElement(using: &random)! }, as: UTF8.self)
    }

    /// A field value: VCHAR, SP, HTAB and obs-text, not starting or ending with whitespace.
    static func value(_ random: inout SplitMix64) -> [UInt8] {
        let count = Int.random(in: 0...40, using: &random)
        var bytes = (0..<count).map { _ -> UInt8 in
            switch Int.random(in: 0..<10, using: &random) {
            case 0: return 0x20
            case 1: return 0x09
            case 2: return UInt8.random(in: 0x80...0xFF, using: &random)
            default: return UInt8.random(in: 0x21...0x7E, using: &random)
            }
        }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        return bytes
    }

    static func fields(_ random: inout SplitMix64, count: Int) -> HTTPFields {
        var fields = HTTPFields()
        for _ in 0..<count {
            var name = token(&random, 20)
            if ["host", "content-length", "transfer-encoding", "connection", "upgrade", "expect"].contains(name.lowercased()) {
                name = "X-" + name
            }
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: value(&random)))
        }
        return fields
    }

    /// Writes `body` chunked, in random chunk sizes with random extensions, then trailers.
    static func writeChunked(_ body: [UInt8], trailers: HTTPFields?, into buffer: inout ByteBuffer, _ random: inout SplitMix64) throws {
        var offset = 0
        while offset < body.count {
            let size = min(body.count - offset, Int.random(in: 1...700, using: &random))
            if Bool.random(using: &random) {
                ChunkedEncoder.writeChunk(ByteBuffer(bytes: body[offset..<(offset + size)]), into: &buffer)
            } else {
                buffer.writeString(String(size, radix: 16, uppercase: true) + ";ext=\"v\\\"\" ; e2\r\n")
                buffer.writeBytes(body[offset..<(offset + size)])
                buffer.writeString("\r\n")
            }
            offset += size
        }
        try ChunkedEncoder.writeLastChunk(trailers: trailers, into: &buffer)
    }

    @Test("requests", arguments: 0..<200)
    func request(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        var request = HTTPRequest(
            method: Self.methods.randomElement(using: &random)!,
            scheme: "http",
            authority: "host\(seed).example:\(seed)",
            path: "/" + Self.token(&random, 30),
            headerFields: Self.fields(&random, count: Int.random(in: 0...30, using: &random))
        )
        let body = (0..<Int.random(in: 0...3000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let chunked = Bool.random(using: &random)
        let trailers = chunked && Bool.random(using: &random) ? Self.fields(&random, count: 3) : nil
        var wire = request
        if chunked {
            wire.headerFields[.transferEncoding] = "chunked"
        } else if !body.isEmpty {
            wire.headerFields[.contentLength] = String(body.count)
        }
        var buffer = ByteBuffer()
        try buffer.writeRequestHead(wire)
        if chunked {
            try Self.writeChunked(body, trailers: trailers, into: &buffer, &random)
        } else {
            buffer.writeBytes(body)
        }
        let bytes = Array(buffer.readableBytesView)
        request = wire
        for pieces in [Splits.whole(bytes.count), Splits.random(bytes.count, seed: UInt64(seed))] {
            let outcome = driveRequests(bytes, pieces: pieces, parser: HTTPRequestParser())
            #expect(outcome.error == nil && outcome.eofError == nil, "\(outcome)")
            #expect(outcome.messages.count == 1)
            let message = try #require(outcome.messages.first)
            #expect(message.complete)
            #expect(message.head.request == request)
            #expect(message.body == body)
            #expect(message.trailers == trailers)
        }
    }

    @Test("responses", arguments: 0..<100)
    func response(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 1000)
        var response = HTTPResponse(
            status: .init(code: Int.random(in: 200...599, using: &random), reasonPhrase: Self.token(&random, 12)),
            headerFields: Self.fields(&random, count: Int.random(in: 0...30, using: &random))
        )
        if response.status.code == 204 || response.status.code == 304 {
            response.status = .ok
        }
        let body = (0..<Int.random(in: 0...3000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let chunked = Bool.random(using: &random)
        if chunked {
            response.headerFields[.transferEncoding] = "chunked"
        } else {
            response.headerFields[.contentLength] = String(body.count)
        }
        var buffer = ByteBuffer()
        buffer.writeResponseHead(response)
        if chunked {
            try Self.writeChunked(body, trailers: nil, into: &buffer, &random)
        } else {
            buffer.writeBytes(body)
        }
        let bytes = Array(buffer.readableBytesView)
        for pieces in [Splits.whole(bytes.count), Splits.random(bytes.count, seed: UInt64(seed))] {
            let outcome = driveResponses(bytes, pieces: pieces)
            #expect(outcome.error == nil && outcome.eofError == nil)
            let message = try #require(outcome.messages.first)
            #expect(message.complete)
            #expect(message.head.response == response)
            #expect(message.head.response.status.reasonPhrase == response.status.reasonPhrase)
            #expect(message.body == body)
        }
    }
}
