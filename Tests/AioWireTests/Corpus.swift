import Foundation
import Testing

/// One case of `../shared/conformance/llhttp_{requests,responses}.json`.
struct CorpusCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Failure: Decodable, Sendable {
        var name: String
        var offset: Int?
    }

    struct Message: Decodable, Sendable {
        var method: String?
        var url: String?
        var status: Int?
        var reason: String?
        var version: String?
        var headers: [[String]]
        var trailers: [[String]]
        var body: String
        var complete: Bool
        var missing_host: Bool?
    }

    var id: String
    var mode: String
    var raw: String
    var expect: String
    var error: Failure?
    var messages: [Message]
    var messages_complete: Int
    var harness_class: String
    var missing_host: Bool?

    /// The raw octets (the JSON holds them as Latin-1 text).
    var bytes: [UInt8] { latin1(self.raw) }

    var testDescription: String { self.id }
}

/// Latin-1 text as the bytes it stands for.
func latin1(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
}

enum Corpus {
    /// `../shared/conformance` next to the package, or `AIO_CONFORMANCE_DIR`.
    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["AIO_CONFORMANCE_DIR"] {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // AioWireTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package
            .deletingLastPathComponent()
            .appendingPathComponent("shared/conformance")
    }

    static func load(_ name: String) -> [CorpusCase] {
        let url = directory.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url) else {
            fatalError("Conformance corpus missing at \(url.path); set AIO_CONFORMANCE_DIR")
        }
        return try! JSONDecoder().decode([CorpusCase].self, from: data)
    }

    static let requests = load("llhttp_requests.json")
    static let responses = load("llhttp_responses.json")

    static var strictRequests: [CorpusCase] { requests.filter { $0.mode == "strict" } }
    static var strictResponses: [CorpusCase] { responses.filter { $0.mode == "strict" } }
}
