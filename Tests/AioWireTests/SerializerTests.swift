import AioWire
import HTTPTypes
import NIOCore
import Testing

@Suite("Serializer")
struct SerializerTests {
    @Test func requestHead() throws {
        var request = HTTPRequest(method: .post, scheme: "http", authority: "example.com:8080", path: "/a?b")
        request.headerFields[.contentType] = "text/plain"
        request.headerFields[.contentLength] = "3"
        var buffer = ByteBuffer()
        try buffer.writeRequestHead(request)
        #expect(
            String(buffer: buffer)
                == "POST /a?b HTTP/1.1\r\nHost: example.com:8080\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n"
        )
        buffer.clear()
        try buffer.writeRequestHead(request, absoluteForm: true)
        #expect(String(buffer: buffer).hasPrefix("POST http://example.com:8080/a?b HTTP/1.1\r\n"))
        buffer.clear()
        try buffer.writeRequestHead(HTTPRequest(method: .connect, scheme: nil, authority: "h:443", path: nil))
        #expect(String(buffer: buffer) == "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n")
    }

    /// swift-http-types keeps one field per cookie; HTTP/1.1 gets them on one line (RFC 6265
    /// §5.4), in order, where the first stood.
    @Test func cookiesGoOnOneLine() throws {
        var request = HTTPRequest(method: .get, scheme: nil, authority: "h", path: "/")
        request.headerFields[.cookie] = "a=1; b=2"
        request.headerFields[.accept] = "*/*"
        request.headerFields.append(HTTPField(name: .cookie, value: "c=3"))
        #expect(request.headerFields[values: .cookie] == ["a=1", "b=2", "c=3"])
        var buffer = ByteBuffer()
        try buffer.writeRequestHead(request)
        #expect(String(buffer: buffer) == "GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1; b=2; c=3\r\nAccept: */*\r\n\r\n")
    }

    @Test func responseHead() throws {
        var response = HTTPResponse(status: .notFound)
        response.headerFields[.server] = "aio"
        var buffer = ByteBuffer()
        buffer.writeResponseHead(response, version: .http1_0)
        #expect(String(buffer: buffer) == "HTTP/1.0 404 Not Found\r\nServer: aio\r\n\r\n")
        buffer.clear()
        buffer.writeResponseHead(HTTPResponse(status: .init(code: 299)))
        #expect(String(buffer: buffer) == "HTTP/1.1 299 \r\n\r\n")
        buffer.clear()
        buffer.writeResponseHead(HTTPResponse(status: .init(code: 418)))
        #expect(String(buffer: buffer) == "HTTP/1.1 418 I'm a teapot\r\n\r\n")
    }

    @Test func serverFieldsReplaceFramingAndConnection() {
        var response = HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "text/plain"
        response.headerFields[.contentLength] = "99"
        response.headerFields[.transferEncoding] = "chunked"
        response.headerFields[.connection] = "keep-alive"
        response.headerFields[.date] = "Mine"
        var buffer = ByteBuffer()
        let fields = ServerFields(framing: .contentLength(12345), connection: "close", date: "Theirs", server: "aio")
        let written = buffer.writeResponseHead(response, serverFields: fields)
        let expected =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Mine\r\n"
            + "Content-Length: 12345\r\nConnection: close\r\nServer: aio\r\n\r\n"
        #expect(String(buffer: buffer) == expected)
        #expect(written == expected.utf8.count)

        buffer.clear()
        buffer.writeResponseHead(response, serverFields: ServerFields(framing: .none))
        #expect(
            String(buffer: buffer)
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\nDate: Mine\r\n\r\n"
        )

        buffer.clear()
        buffer.writeResponseHead(HTTPResponse(status: .noContent), serverFields: ServerFields(framing: .chunked))
        #expect(String(buffer: buffer) == "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n")
    }

    /// Many and long fields still fit: the single pass reserves what it writes.
    @Test func serverFieldsWithLargeHead() {
        var response = HTTPResponse(status: .ok)
        var expected = "HTTP/1.1 200 OK\r\n"
        for index in 0..<200 {
            let value = String(repeating: "v", count: index * 7)
            response.headerFields.append(HTTPField(name: HTTPField.Name("X-F\(index)")!, value: value))
            expected += "X-F\(index): \(value)\r\n"
        }
        expected += "Server: aio\r\n\r\n"
        var buffer = ByteBuffer()
        buffer.writeResponseHead(response, serverFields: ServerFields(server: "aio"))
        #expect(String(buffer: buffer) == expected)
        #expect(buffer.readableBytes > 100_000)
    }

    static let injections: [(String?, String)] = [
        ("/a\r\nX-Injected: 1", "request-target"),
        ("/a b", "request-target"),
        ("/a\tb", "request-target"),
        ("/caf\u{E9}", "request-target"),
        ("/a\nGET /b", "request-target"),
        (nil, "authority"),
    ]

    @Test("injection is refused", arguments: injections.indices)
    func injection(_ index: Int) throws {
        let (path, part) = Self.injections[index]
        let request = HTTPRequest(
            method: .get,
            scheme: "http",
            authority: path == nil ? "h\r\nX: 1" : "h",
            path: path ?? "/"
        )
        var buffer = ByteBuffer()
        #expect(throws: HeaderInjectionError.self) { try buffer.writeRequestHead(request) }
        do {
            try buffer.writeRequestHead(request)
        } catch {
            #expect(error.part == part)
        }
        #expect(buffer.readableBytes == 0, "nothing written")
    }

    /// swift-http-types never lets CR, LF or NUL into a field value, so fields cannot inject.
    @Test func fieldValuesCannotInject() throws {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-Test")!] = "a\r\nInjected: yes\u{0}"
        var request = HTTPRequest(method: .get, scheme: "http", authority: "h", path: "/")
        request.headerFields = fields
        var buffer = ByteBuffer()
        try buffer.writeRequestHead(request)
        var parser = HTTPRequestParser()
        guard case .head(let head) = try parser.decode(buffer: &buffer) else { throw Failure() }
        #expect(head.request.headerFields.count == 1)
        #expect(head.request.headerFields[HTTPField.Name("X-Test")!] == "a  Injected: yes")
    }

    @Test func chunkedEncoding() throws {
        var buffer = ByteBuffer()
        ChunkedEncoder.writeChunk(ByteBuffer(string: String(repeating: "x", count: 26)), into: &buffer)
        ChunkedEncoder.writeChunk(ByteBuffer(), into: &buffer)
        ChunkedEncoder.writeChunk(ByteBuffer(string: "yz"), into: &buffer)
        try ChunkedEncoder.writeLastChunk(trailers: [HTTPField.Name("Digest")!: "sha-256=x"], into: &buffer)
        #expect(String(buffer: buffer) == "1a\r\n\(String(repeating: "x", count: 26))\r\n2\r\nyz\r\n0\r\nDigest: sha-256=x\r\n\r\n")

        var decoder = ChunkedDecoder()
        var body: [UInt8] = []
        var trailers: HTTPFields?
        while let part = try decoder.decode(buffer: &buffer) {
            switch part {
            case .data(let data): body += data.readableBytesView
            case .end(let fields): trailers = fields
            }
        }
        #expect(body.count == 28)
        #expect(trailers?[HTTPField.Name("Digest")!] == "sha-256=x")
        #expect(decoder.isComplete)
        #expect(throws: InvalidHeader.self) {
            try ChunkedEncoder.writeLastChunk(trailers: [.contentLength: "1"], into: &buffer)
        }
    }
}
