import AioWire
import HTTPTypes
import NIOCore
import Testing

@Suite("Request parser rules")
struct RequestParserTests {
    /// Every visible ASCII byte in a Host name: accepted exactly when RFC 3986 lets a reg-name
    /// have it (`:` starts the port, `%` an escape and `[` an IP literal, each checked apart).
    @Test func hostNameBytes() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=".utf8)
        for byte in UInt8(0x21)...UInt8(0x7E) where !":%[".utf8.contains(byte) {
            var buffer = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: a")
            buffer.writeInteger(byte)
            buffer.writeString("b\r\n\r\n")
            var parser = HTTPRequestParser()
            let accepted = (try? parser.decode(buffer: &buffer)) != nil
            #expect(accepted == allowed.contains(byte), "Host byte \(byte)")
        }
    }

    @Test func simpleGet() throws {
        let outcome = parseRequests("GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n")
        #expect(outcome.error == nil)
        let head = try #require(outcome.messages.first?.head)
        #expect(head.request.method == .get)
        #expect(head.request.path == "/a?b=c")
        #expect(head.request.authority == "example.com")
        #expect(head.request.scheme == "http")
        #expect(head.request.headerFields[.userAgent] == "t")
        #expect(head.request.headerFields.count == 1, "Host moves to the authority")
        #expect(head.version == .http1_1)
        #expect(head.keepAlive)
        #expect(head.framing == .empty)
        #expect(outcome.completeCount == 1)
    }

    @Test func pipelinedBodies() throws {
        let text = "POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"y\"\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"
            + "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n"
        let outcome = parseRequests(text)
        #expect(outcome.error == nil)
        #expect(outcome.messages.map(\.head.request.path) == ["/1", "/2", "/3"])
        #expect(outcome.messages.map { String(decoding: $0.body, as: UTF8.self) } == ["hello", "abc", ""])
        #expect(outcome.messages[1].trailers?[HTTPField.Name("X-T")!] == "1")
        #expect(outcome.messages[1].head.framing == .chunked)
    }

    @Test func bodySlicesAreNotCopied() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(string: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody")
        let storage = buffer.withUnsafeReadableBytes { $0.baseAddress! }
        _ = try parser.decode(buffer: &buffer)
        guard case .body(let slice) = try parser.decode(buffer: &buffer) else {
            Issue.record("expected body")
            return
        }
        slice.withUnsafeReadableBytes { #expect($0.baseAddress == storage + 47) }
    }

    /// Inputs each rule of RFC 9110/9112 refuses, with the error type and status we answer.
    static let refused: [(String, String, Int)] = [
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET /  HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", "BadHTTPMethod", 400),
        ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "BadHTTPMethod", 400),
        ("FOO / HTTP/1.1\r\nHost: h\r\n\r\n", "BadHTTPMethod", 501),
        ("get / HTTP/1.1\r\nHost: h\r\n\r\n", "BadHTTPMethod", 501),
        ("GET / HTTP/1.2\r\nHost: h\r\n\r\n", "BadStatusLine", 505),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", "BadStatusLine", 505),
        ("GET / http/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET / HTTP/1.10\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET /\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET /\u{E9} HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET * HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET example.com HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("CONNECT example.com HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("CONNECT /x HTTP/1.1\r\nHost: h\r\n\r\n", "BadStatusLine", 400),
        ("GET / HTTP/1.1\nHost: h\r\n\r\n", "BadHTTPMessage", 400),
        ("GET / HTTP/1.1\r\nHost: h\n\r\n", "BadHTTPMessage", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nA: b\rc\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nA: b\u{0}c\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nA: b\u{7F}\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nA : b\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nA\tB: b\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nA: b\r\n c\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\n: b\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\n\r\n", "HTTPBadRequest", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTPBadRequest", 400),
        ("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", "HTTPBadRequest", 400),
        ("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "InvalidHeader", 400),
        ("GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", "InvalidHeader", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775808\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n", "ContentLengthError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: br, chunked\r\n\r\n", "TransferEncodingError", 501),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;\r\na\r\n0\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\r\na\r\n0\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"b\r\na\r\n0\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\na\r\n0\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naX\r\n0\r\n\r\n", "TransferEncodingError", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nContent-Length: 1\r\n\r\n", "InvalidHeader", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nHost: x\r\n\r\n", "InvalidHeader", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX : y\r\n\r\n", "InvalidHeader", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab", "IncompleteMessage", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\n", "IncompleteMessage", 400),
    ]

    @Test("refused input", arguments: refused)
    func refusedInput(_ text: String, _ type: String, _ status: Int) throws {
        let error = try #require(requestError(text), "accepted: \(text.debugDescription)")
        let processing = try #require(error as? any HTTPProcessingError)
        #expect("\(Swift.type(of: processing))" == type, "\(processing)")
        #expect(processing.code == status)
        #expect(processing.offset != nil)
        #expect(processing.offset! <= text.unicodeScalars.count)
        _ = parseRequests(text)  // and the same in every split
    }

    @Test func errorOffsetPointsAtTheFault() throws {
        let error = requestError("GET / HTTP/1.1\r\nHost: h\r\nA: b\u{1}c\r\n\r\n") as? InvalidHeader
        #expect(error?.offset == 29)
        #expect(error?.name == "A")
        let folded = requestError("GET / HTTP/1.1\r\nHost: h\r\nA: b\r\n c\r\n\r\n") as? InvalidHeader
        #expect(folded?.offset == 31)
        #expect(folded?.message.contains("folding") == true)
    }

    @Test func hostRules() throws {
        // Off for captured traffic.
        #expect(requestError("GET / HTTP/1.1\r\n\r\n", .init(requireHost: false)) == nil)
        // HTTP/1.0 needs none.
        #expect(requestError("GET / HTTP/1.0\r\n\r\n") == nil)
        // Empty Host is valid when the target has no authority; IPv6 literals and ports too.
        for host in ["", "[::1]:8080", "example.com:80", "xn--bcher-kva.example", "a%20b"] {
            #expect(requestError("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n") == nil, "\(host)")
        }
        // Absolute-form: the target's authority wins over Host.
        let outcome = parseRequests("GET http://u:p@example.org:81/x?y HTTP/1.1\r\nHost: other\r\n\r\n")
        let head = try #require(outcome.messages.first?.head)
        #expect(head.request.authority == "example.org:81")
        #expect(head.request.path == "/x?y")
        #expect(head.request.scheme == "http")
        #expect(head.target == "http://u:p@example.org:81/x?y")
        #expect(head.targetForm == .absolute)
    }

    @Test func targetForms() throws {
        let options = try #require(parseRequests("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").messages.first?.head)
        #expect(options.targetForm == .asterisk)
        #expect(options.request.path == "*")
        let connect = parseRequests("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nTUNNEL")
        let head = try #require(connect.messages.first?.head)
        #expect(head.targetForm == .authority)
        #expect(head.request.authority == "example.com:443")
        #expect(head.request.path == nil)
        #expect(head.isUpgrade)
        #expect(connect.upgraded)
        #expect(connect.leftover == Array("TUNNEL".utf8))
    }

    @Test func connectionSemantics() throws {
        func head(_ fields: String, _ version: String = "1.1") -> HTTPRequestHead? {
            parseRequests("GET / HTTP/\(version)\r\nHost: h\r\n\(fields)\r\n").messages.first?.head
        }
        #expect(head("")?.keepAlive == true)
        #expect(head("Connection: close\r\n")?.keepAlive == false)
        #expect(head("Connection: Keep-Alive, CLOSE\r\n")?.keepAlive == false)
        #expect(head("", "1.0")?.keepAlive == false)
        #expect(head("Connection: keep-alive\r\n", "1.0")?.keepAlive == true)
        #expect(head("Upgrade: websocket\r\n")?.isUpgrade == false)
        #expect(head("Upgrade: websocket\r\nConnection: Upgrade\r\n")?.isUpgrade == true)
        #expect(head("Expect: 100-Continue\r\n")?.expectsContinue == true)
        // An HTTP/1.0 client cannot take an interim response (RFC 9110 §10.1.1).
        #expect(head("Expect: 100-continue\r\n", "1.0")?.expectsContinue == false)
        #expect(head("Content-Length: 0042, 42\r\nContent-Length: 42\r\n")?.framing == .contentLength(42))
        #expect(head("Transfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n")?.transferCodings == ["gzip"])
    }

    @Test func declinedUpgradeResumes() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(
            string: "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n"
        )
        guard case .head(let head) = try parser.decode(buffer: &buffer) else { throw Failure() }
        #expect(head.isUpgrade)
        #expect(try parser.decode(buffer: &buffer) == .end(nil))
        #expect(try parser.decode(buffer: &buffer) == nil)
        #expect(parser.isUpgraded)
        parser.resume()
        guard case .head(let next) = try parser.decode(buffer: &buffer) else { throw Failure() }
        #expect(next.request.path == "/next")
    }

    @Test func limits() throws {
        let longTarget = "/" + String(repeating: "a", count: 100)
        let lineError = requestError("GET \(longTarget) HTTP/1.1\r\n\r\n", .init(maxStartLineLength: 64)) as? LineTooLong
        #expect(lineError?.code == 414)
        #expect(lineError?.part == .requestLine)
        #expect(lineError?.limit == 64)

        let fieldError = requestError("GET / HTTP/1.1\r\nHost: h\r\nA: \(String(repeating: "b", count: 100))\r\n\r\n", .init(maxFieldLineLength: 64)) as? LineTooLong
        #expect(fieldError?.code == 431)
        #expect(fieldError?.part == .fieldLine)

        let many = (0..<11).map { "F\($0): v\r\n" }.joined()
        let countError = requestError("GET / HTTP/1.1\r\nHost: h\r\n\(many)\r\n", .init(maxFieldCount: 10))
        #expect((countError as? BadHTTPMessage)?.code == 431)

        let headError = requestError("GET / HTTP/1.1\r\nHost: h\r\n\(many)\r\n", .init(maxHeadLength: 80)) as? LineTooLong
        #expect(headError?.code == 431)
        #expect(headError?.part == .fieldSection)
        #expect(headError?.offset == 80)

        let chunkError = requestError(
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;\(String(repeating: "e", count: 50))\r\n",
            .init(maxChunkLineLength: 32)
        ) as? LineTooLong
        #expect(chunkError?.part == .chunkLine)
    }

    /// A limit stops the parser before more than the limit is buffered, whatever arrives later.
    @Test func limitNeverBuffersMoreThanItself() throws {
        var parser = HTTPRequestParser(configuration: .init(maxStartLineLength: 1024))
        var buffer = ByteBuffer(string: "GET /")
        _ = try parser.decode(buffer: &buffer)
        var thrown: (any Error)?
        for _ in 0..<100 {
            buffer.writeString(String(repeating: "a", count: 100))
            do { _ = try parser.decode(buffer: &buffer) } catch {
                thrown = error
                break
            }
        }
        #expect(thrown is LineTooLong)
        #expect(buffer.readableBytes <= 1024 + 100)
    }

    /// Found by the fuzzer: a too-long line ending in a bare LF gave LineTooLong when the LF came
    /// later and BadHTTPMessage when it came with the rest.
    @Test func longLineWithBareLFFailsTheSameInEverySplit() throws {
        let outcome = parseRequests("GET /" + String(repeating: "a", count: 80) + "\n\r\n", .init(maxStartLineLength: 64))
        #expect(outcome.error == "LineTooLong@64")
    }

    @Test func anyTokenPolicy() throws {
        let outcome = parseRequests("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n", .init(methods: .anyToken))
        #expect(outcome.messages.first?.head.request.method.rawValue == "BREW")
    }

    @Test func obsTextValuesKeepTheirBytes() throws {
        let outcome = parseRequests("GET / HTTP/1.1\r\nHost: h\r\nX: caf\u{E9}\r\n\r\n")
        let field = try #require(outcome.messages.first?.head.request.headerFields.first)
        field.withUnsafeBytesOfValue { #expect(Array($0) == [0x63, 0x61, 0x66, 0xE9]) }
    }

    @Test func fieldNameSpellingIsKept() throws {
        let outcome = parseRequests("GET / HTTP/1.1\r\nHost: h\r\nuser-agent: a\r\nCONTENT-TYPE: b\r\nX-Custom-Header-Name: c\r\n\r\n")
        let names = outcome.messages.first?.head.request.headerFields.map(\.name.rawName)
        #expect(names == ["user-agent", "CONTENT-TYPE", "X-Custom-Header-Name"])
        #expect(outcome.messages.first?.head.request.headerFields[.contentType] == "b")
    }

    @Test func emptyLinesBeforeRequests() throws {
        let outcome = parseRequests("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(outcome.completeCount == 2)
        #expect(requestError(String(repeating: "\r\n", count: 5000), .init()) is BadHTTPMessage)
    }
}

struct Failure: Error {}
