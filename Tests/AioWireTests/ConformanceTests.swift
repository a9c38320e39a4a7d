import AioTestSupport
import AioWire
import HTTPTypes
import NIOCore
import Testing

/// Every strict case of llhttp's request and response corpus, whole, byte by byte and in random
/// splits: the same outcome every time, and the outcome llhttp expects (or, where this package is
/// deliberately stricter, the error it documents).
@Suite("llhttp conformance corpus")
struct ConformanceTests {
    /// Classes where RFC 9110/9112 do not ask for llhttp's behaviour and we refuse the input:
    /// RTSP and ICE are not HTTP, and HTTP/0.9 has no place on an HTTP/1.1 connection.
    static let refusedByDesign: Set<String> = ["non-http-protocol", "http09"]

    @Test("request cases", arguments: Corpus.strictRequests)
    func request(_ corpusCase: CorpusCase) throws {
        let bytes = corpusCase.bytes
        let reference = driveRequests(bytes, pieces: Splits.whole(bytes.count))
        for pieces in Splits.all(bytes.count) {
            let outcome = driveRequests(bytes, pieces: pieces)
            #expect(outcome == reference, "split \(pieces) differs from whole")
        }
        try Self.check(reference, against: corpusCase) { message, expected in
            #expect(message.head.request.method.rawValue == expected.method)
            #expect(message.head.target == expected.url)
            #expect(message.head.version.description == "HTTP/\(expected.version ?? "")")
            var headers = expected.headers
            if let host = headers.firstIndex(where: { $0[0].lowercased() == "host" }) {
                if message.head.targetForm == .origin {
                    #expect(message.head.request.authority == trimmed(headers[host][1]))
                }
                headers.remove(at: host)
            }
            #expect(pairs(message.head.request.headerFields) == headers.map { [$0[0], trimmed($0[1])] })
        }
    }

    @Test("response cases", arguments: Corpus.strictResponses)
    func response(_ corpusCase: CorpusCase) throws {
        let bytes = corpusCase.bytes
        let reference = driveResponses(bytes, pieces: Splits.whole(bytes.count))
        for pieces in Splits.all(bytes.count) {
            let outcome = driveResponses(bytes, pieces: pieces)
            #expect(outcome == reference, "split \(pieces) differs from whole")
        }
        try Self.check(reference, against: corpusCase) { message, expected in
            #expect(message.head.response.status.code == expected.status)
            #expect(message.head.response.status.reasonPhrase == expected.reason ?? "")
            #expect(message.head.version.description == "HTTP/\(expected.version ?? "")")
            #expect(pairs(message.head.response.headerFields) == expected.headers.map { [$0[0], trimmed($0[1])] })
        }
    }

    /// Checks the outcome's class, then every complete message with `checkHead` and the body
    /// and trailers here.
    static func check<Head>(
        _ outcome: ParseOutcome<Head>,
        against corpusCase: CorpusCase,
        checkHead: (ParsedMessage<Head>, CorpusCase.Message) -> Void
    ) throws {
        let expectedComplete = corpusCase.messages_complete
        switch corpusCase.harness_class {
        case "api-only":
            // llhttp's case resets the parser in the middle of a body through its API; without
            // that call, the announced body swallows the next message: no error, nothing complete.
            #expect(outcome.error == nil)
            #expect(outcome.completeBeforeEOF == 0)
            #expect(outcome.messages.count == 1)
            return
        case "ok":
            #expect(outcome.error == nil)
            #expect(outcome.eofError == nil)
            #expect(outcome.completeCount == expectedComplete)
        case "incomplete":
            #expect(outcome.error == nil)
            #expect(outcome.completeBeforeEOF == expectedComplete)
            #expect(!outcome.upgraded)
        case "close-after":
            #expect(outcome.error == nil)
            #expect(outcome.completeCount == expectedComplete)
            #expect(outcome.leftover.count > 0, "bytes after the closing message are left unread")
        case "reject":
            #expect(outcome.error != nil || outcome.eofError != nil, "input was accepted")
            #expect(outcome.completeCount <= expectedComplete)
        case "upgrade":
            if expectedComplete > 0 {
                #expect(outcome.error == nil)
                #expect(outcome.upgraded)
                #expect(outcome.completeCount == expectedComplete)
                #expect(outcome.consumed == corpusCase.error?.offset)
            } else {
                // llhttp pauses on `PRI * HTTP/1.1` (the HTTP/2 preface); we refuse it as a method.
                #expect(outcome.error != nil || outcome.eofError != nil)
            }
        default:
            #expect(refusedByDesign.contains(corpusCase.harness_class))
            #expect(outcome.error != nil)
            return
        }
        for (message, expected) in zip(outcome.messages, corpusCase.messages) where message.complete {
            checkHead(message, expected)
            #expect(message.body == latin1(expected.body))
            #expect(pairs(message.trailers ?? [:]) == expected.trailers.map { [$0[0], trimmed($0[1])] })
        }
    }
}

/// Field lines as `[name, value]` pairs, values in Latin-1 as the corpus writes them.
func pairs(_ fields: HTTPFields) -> [[String]] {
    fields.map { field in
        [field.name.rawName, field.withUnsafeBytesOfValue { String(decoding: $0.map { $0 }, as: UTF8.self) }]
    }
    .map { [$0[0], String(latin1Bytes: Array($0[1].utf8))] }
}

extension String {
    /// Bytes read as Latin-1.
    init(latin1Bytes bytes: [UInt8]) {
        self = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

/// A corpus value without the trailing whitespace llhttp keeps.
func trimmed(_ value: String) -> String {
    var scalars = Substring(value)
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
}
