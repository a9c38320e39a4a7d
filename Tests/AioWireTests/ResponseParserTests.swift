import AioWire
import HTTPTypes
import NIOCore
import Testing

@Suite("Response parser rules")
struct ResponseParserTests {
    @Test func framingDependsOnTheRequest() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
        let outcome = parseResponses(text, methods: [.head, .get])
        #expect(outcome.error == nil)
        #expect(outcome.messages.map(\.head.framing) == [.empty, .contentLength(3)])
        #expect(outcome.messages.map(\.body) == [[], Array("abc".utf8)])
    }

    @Test func interimResponsesKeepTheMethod() throws {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n"
        let outcome = parseResponses(text, methods: [.head, .get])
        #expect(outcome.messages.map(\.head.response.status.code) == [100, 103, 200, 204])
        #expect(outcome.messages.map(\.head.isInformational) == [true, true, false, false])
        #expect(outcome.messages[2].head.framing == .empty, "answer to HEAD")
        #expect(outcome.completeCount == 4)
    }

    @Test func switchingProtocolsStops() throws {
        let outcome = parseResponses("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u{81}\u{0}")
        #expect(outcome.upgraded)
        #expect(outcome.leftover == [0x81, 0x00])
        #expect(outcome.messages.first?.head.isUpgrade == true)
    }

    @Test func connectTunnel() throws {
        let outcome = parseResponses("HTTP/1.1 200 Connection established\r\n\r\nTLS", methods: [.connect])
        #expect(outcome.upgraded)
        #expect(outcome.leftover == Array("TLS".utf8))
        let refused = parseResponses("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n", methods: [.connect])
        #expect(!refused.upgraded)
    }

    @Test func bodyUntilClose() throws {
        let outcome = parseResponses("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw bytes")
        let head = try #require(outcome.messages.first?.head)
        #expect(head.framing == .untilClose)
        #expect(head.transferCodings == ["gzip"])
        #expect(!head.keepAlive)
        #expect(outcome.completeBeforeEOF == 0)
        #expect(outcome.completeCount == 1)
        #expect(outcome.messages.first?.body == Array("raw bytes".utf8))
    }

    @Test func reasonPhraseIsLatin1() throws {
        let outcome = parseResponses("HTTP/1.1 404 Nicht gef\u{FC}nden\r\nContent-Length: 0\r\n\r\n")
        #expect(outcome.messages.first?.head.response.status.reasonPhrase == "Nicht gef\u{FC}nden")
    }

    static let refused: [String] = [
        "HTTP/1.1 99 Low\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20x OK\r\n\r\n",
        "HTTP/1.1 200\tOK\r\n\r\n",
        "HTTP/1.1 200 O\u{0}K\r\n\r\n",
        "HTTP/1.2 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab",
    ]

    @Test("refused input", arguments: refused)
    func refusedInput(_ text: String) throws {
        let outcome = parseResponses(text)
        #expect(outcome.error != nil || outcome.eofError != nil)
    }
}
