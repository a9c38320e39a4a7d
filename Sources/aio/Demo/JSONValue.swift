import Foundation
import NIOCore

/// JSON as httpbin writes it: keys sorted, two-space indentation, non-ASCII escaped (Python's
/// `json.dumps(indent=2, sort_keys=True)`), so clients see the shapes they expect.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The deepest nesting echoed: indented, each level pads every value below it, so a small
    /// deeply nested body would echo as megabytes.
    static let maxDepth = 32

    /// Parses `data` as JSON; nil when it is not JSON, or nested deeper than ``maxDepth``.
    static func parse(_ data: Data) -> JSONValue? {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data), value.depth <= Self.maxDepth else { return nil }
        return value
    }

    /// How many arrays and objects deep the value goes.
    var depth: Int {
        switch self {
        case .array(let values): 1 + (values.map(\.depth).max() ?? 0)
        case .object(let members): 1 + (members.values.map(\.depth).max() ?? 0)
        default: 0
        }
    }

    /// A multi-dict as httpbin shows it: one value as a string, repeated ones as a list.
    static func grouping(_ pairs: [(key: String, value: String)]) -> JSONValue {
        var grouped: [String: [String]] = [:]
        for (key, value) in pairs { grouped[key, default: []].append(value) }
        return .object(grouped.mapValues { $0.count == 1 ? .string($0[0]) : .array($0.map(JSONValue.string)) })
    }

    /// The text, with a final newline as httpbin sends it.
    var text: String {
        var writer = JSONWriter(style: .python(indent: 2))
        self.write(into: &writer)
        return writer.text + "\n"
    }

    /// The text on one line, as Python's `json.dumps` without indentation (JSON lines).
    var compactText: String {
        var writer = JSONWriter(style: .python(indent: nil))
        self.write(into: &writer)
        return writer.text
    }

    /// Writes the value, keys sorted as httpbin's answers have them.
    private func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let value): writer.number(value)
        case .string(let value): writer.string(value)
        case .array(let values):
            writer.beginArray()
            for value in values { value.write(into: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for key in members.keys.sorted() {
                writer.key(key)
                members[key]!.write(into: &writer)
            }
            writer.endObject()
        }
    }
}

extension JSONValue: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
