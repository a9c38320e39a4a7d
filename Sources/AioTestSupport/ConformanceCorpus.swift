import Foundation

/// One case of `../shared/conformance/llhttp_{requests,responses}.json`, llhttp's test corpus
/// as the conformance data describes it: the raw bytes, whether llhttp accepts them, and the
/// messages it parses out of them.
public struct CorpusCase: Decodable, Sendable, CustomStringConvertible {
    /// Where llhttp stopped with an error.
    public struct Failure: Decodable, Sendable {
        public var name: String
        public var offset: Int?
    }

    /// A message llhttp parsed (begun, and maybe complete).
    public struct Message: Decodable, Sendable {
        public var method: String?
        public var url: String?
        public var status: Int?
        public var reason: String?
        public var version: String?
        public var headers: [[String]]
        public var trailers: [[String]]
        /// The body, as Latin-1 text.
        public var body: String
        public var complete: Bool
        public var missing_host: Bool?
    }

    public var id: String
    /// `strict`, or the lenient flags the case needs.
    public var mode: String
    public var raw: String
    /// `ok` or `error`.
    public var expect: String
    public var error: Failure?
    public var messages: [Message]
    public var messages_complete: Int
    /// How a peer should treat the case: `ok`, `reject`, `incomplete`, `close-after`, `upgrade`…
    public var harness_class: String
    public var missing_host: Bool?

    /// The raw octets (the JSON holds them as Latin-1 text).
    public var bytes: [UInt8] { latin1(self.raw) }

    public var description: String { self.id }
}

/// Latin-1 text as the bytes it stands for.
public func latin1(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
}

/// The conformance data shared by the tests (`../shared/conformance`).
public enum Corpus {
    /// `../shared/conformance` next to the package, or `AIO_CONFORMANCE_DIR`.
    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["AIO_CONFORMANCE_DIR"] {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // AioTestSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // package
            .deletingLastPathComponent()
            .appendingPathComponent("shared/conformance")
    }

    /// The cases of the corpus file `name`.
    public static func load(_ name: String) -> [CorpusCase] {
        let url = directory.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url) else {
            fatalError("Conformance corpus missing at \(url.path); set AIO_CONFORMANCE_DIR")
        }
        return try! JSONDecoder().decode([CorpusCase].self, from: data)
    }

    /// llhttp's request cases.
    public static let requests = load("llhttp_requests.json")
    /// llhttp's response cases.
    public static let responses = load("llhttp_responses.json")

    /// The request cases without lenient flags.
    public static var strictRequests: [CorpusCase] { requests.filter { $0.mode == "strict" } }
    /// The response cases without lenient flags.
    public static var strictResponses: [CorpusCase] { responses.filter { $0.mode == "strict" } }
}
