import AioMultipart
import Foundation
import Testing

/// The shared tc2231-style corpus: every case parsed, compared with the expected result or one
/// of the accepted alternatives.
struct ContentDispositionConformanceTests {
    struct Case: Decodable {
        struct Expected: Decodable {
            let type: String
            let params: [String: String]
            let filename: String?
            let dropped_params: [String]?
        }
        struct Alternative: Decodable {
            let type: String?
            let filename: String?
        }
        let id: String
        let header: String
        let expected: Expected?
        let alternatives: [Alternative]

        enum CodingKeys: String, CodingKey { case id, header, expected, alternatives }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.id = try container.decode(String.self, forKey: .id)
            self.header = try container.decode(String.self, forKey: .header)
            self.expected = try? container.decode(Expected.self, forKey: .expected)
            self.alternatives = try container.decode([Alternative].self, forKey: .alternatives)
        }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/conformance/content_disposition.json")
        struct Corpus: Decodable { let cases: [Case] }
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode(Corpus.self, from: data).cases) ?? []
    }()

    /// "expected", "alternative" or a description of the difference.
    static func verdict(_ testCase: Case) -> String {
        // The corpus gives headers as ISO-8859-1 text: one character per octet.
        let octets = testCase.header.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        var dropped: [String] = []
        let parsed = parseContentDisposition(octets) { warning in
            if let bad = warning as? BadContentDispositionParam { dropped.append(bad.name) }
        }
        if let expected = testCase.expected {
            if let parsed, parsed.type == expected.type, parsed.parameters == expected.params,
                parsed.filename == expected.filename, dropped == (expected.dropped_params ?? [])
            {
                return "expected"
            }
        } else if parsed == nil {
            return "expected"
        }
        if let parsed,
            testCase.alternatives.contains(where: { ($0.type ?? parsed.type) == parsed.type && $0.filename == parsed.filename })
        {
            return "alternative"
        }
        return "got \(parsed.map { "\($0.type) \($0.parameters) filename=\($0.filename ?? "nil")" } ?? "invalid"), dropped \(dropped)"
    }

    @Test func corpusIsPresent() {
        #expect(Self.cases.count == 92)
    }

    @Test func atLeast90Of92Match() {
        var misses: [String] = []
        for testCase in Self.cases where Self.verdict(testCase) != "expected" && Self.verdict(testCase) != "alternative" {
            misses.append("\(testCase.id): \(Self.verdict(testCase))")
        }
        #expect(Self.cases.count - misses.count >= 90, "\(misses)")
        #expect(misses.isEmpty, "\(misses)")
    }
}

struct ContentDispositionTests {
    @Test func warningsNameTheProblem() {
        var warnings: [String] = []
        let parsed = parseContentDisposition("attachment; filename*=UTF-8''%E4.txt; name=a") { warnings.append("\($0)") }
        #expect(parsed == ContentDisposition(type: "attachment", parameters: ["name": "a"]))
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("filename*") == true)

        warnings = []
        #expect(parseContentDisposition("attachment; filename=a b") { warnings.append("\($0)") } == nil)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("Bad Content-Disposition header"))
    }

    @Test func utf8QuotedFilenamesAsBrowsersSendThem() {
        let parsed = parseContentDisposition(#"form-data; name="file"; filename="naïve 文件.txt""#)
        #expect(parsed?.name == "file")
        #expect(parsed?.filename == "naïve 文件.txt")
    }

    @Test func continuationsJoinInOrder() {
        let parsed = parseContentDisposition("attachment; filename*1*=%e2%82%ac.txt; filename*0*=utf-8''price-")
        #expect(parsed?.filename == "price-€.txt")
    }

    @Test func headerRoundTrips() throws {
        let values = ["plain.txt", #"quo"te\back.txt"#, "résumé €.pdf", "tab\there", "a;b=c"]
        for value in values {
            let header = try contentDispositionHeader("form-data", parameters: [("name", "field"), ("filename", value)])
            let parsed = parseContentDisposition(header)
            #expect(parsed?.type == "form-data", "\(header)")
            #expect(parsed?.name == "field", "\(header)")
            #expect(parsed?.filename == value, "\(header)")
        }
        let nonASCII = try contentDispositionHeader("attachment", parameters: [("filename", "€.txt")])
        #expect(nonASCII == #"attachment; filename="_.txt"; filename*=UTF-8''%E2%82%AC.txt"#)
        let raw = try contentDispositionHeader("form-data", parameters: [("filename", "€.txt")], quoteFields: false)
        #expect(raw == #"form-data; filename="€.txt""#)
        #expect(parseContentDisposition(raw)?.filename == "€.txt")
    }

    @Test func builderRefusesNonTokens() {
        let badType = #expect(throws: InvalidContentDisposition.self) { try contentDispositionHeader("bad type") }
        #expect(badType?.value == "bad type")
        let badName = #expect(throws: InvalidContentDisposition.self) {
            try contentDispositionHeader("inline", parameters: [("na me", "x")])
        }
        #expect(badName?.value == "na me")
    }

    @Test func escapedControlCharactersAreRefused() {
        #expect(parseContentDisposition(Array("attachment; filename=\"f\\".utf8) + [0x02] + Array("oo\"".utf8)) == nil)
        #expect(parseContentDisposition("attachment; filename=\"f\\\too\"")?.filename == "f\too")
    }

    @Test func builderNeverEmitsLineBreaks() throws {
        let header = try contentDispositionHeader("form-data", parameters: [("name", "a\r\nX-Injected: 1")], quoteFields: false)
        #expect(!header.contains("\r") && !header.contains("\n"))
        let control = try contentDispositionHeader("form-data", parameters: [("name", "a\u{01}b\u{7F}")], quoteFields: false)
        #expect(control == #"form-data; name="a b ""#)
    }
}

struct MimeTypeTests {
    @Test(arguments: [
        ("", MimeType(type: "", subtype: "")),
        ("*", MimeType(type: "*", subtype: "*")),
        ("application/json", MimeType(type: "application", subtype: "json")),
        ("application/json;  charset=utf-8", MimeType(type: "application", subtype: "json", parameters: ["charset": "utf-8"])),
        ("application/json; charset=utf-8;", MimeType(type: "application", subtype: "json", parameters: ["charset": "utf-8"])),
        (#"ApPlIcAtIoN/JSON;ChaRseT="UTF-8""#, MimeType(type: "application", subtype: "json", parameters: ["charset": "UTF-8"])),
        ("application/rss+xml", MimeType(type: "application", subtype: "rss", suffix: "xml")),
        ("text/plain;base64", MimeType(type: "text", subtype: "plain", parameters: ["base64": ""])),
        ("text", MimeType(type: "text", subtype: "")),
        (#"multipart/form-data; boundary="a;b\"c""#, MimeType(type: "multipart", subtype: "form-data", parameters: ["boundary": #"a;b"c"#])),
        ("text/plain; =broken; a=1; a=2", MimeType(type: "text", subtype: "plain", parameters: [("a", "1"), ("a", "2")].reduce(into: MultiDict<String>()) { $0.append($1.0, $1.1) })),
    ])
    func parses(_ input: String, _ expected: MimeType) {
        #expect(parseMimetype(input) == expected)
    }

    @Test func essence() {
        #expect(parseMimetype("Application/Atom+XML; q=1").essence == "application/atom+xml")
    }
}
