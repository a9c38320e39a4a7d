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
        var output = ""
        self.write(into: &output, indent: 0)
        return output + "\n"
    }

    /// The text on one line, as Python's `json.dumps` without indentation (JSON lines).
    var compactText: String {
        var output = ""
        self.write(into: &output, indent: nil)
        return output
    }

    private func write(into output: inout String, indent: Int?) {
        guard let indent else {
            switch self {
            case .array(let values):
                output += "["
                for (index, value) in values.enumerated() {
                    if index > 0 { output += ", " }
                    value.write(into: &output, indent: nil)
                }
                output += "]"
            case .object(let members):
                output += "{"
                for (index, key) in members.keys.sorted().enumerated() {
                    if index > 0 { output += ", " }
                    Self.writeString(key, into: &output)
                    output += ": "
                    members[key]!.write(into: &output, indent: nil)
                }
                output += "}"
            default:
                self.write(into: &output, indent: 0)
            }
            return
        }
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value):
            output += value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): Self.writeString(value, into: &output)
        case .array(let values):
            guard !values.isEmpty else { output += "[]"; return }
            let pad = String(repeating: " ", count: indent + 2)
            output += "[\n"
            for (index, value) in values.enumerated() {
                output += pad
                value.write(into: &output, indent: indent + 2)
                output += index == values.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            let pad = String(repeating: " ", count: indent + 2)
            output += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                output += pad
                Self.writeString(key, into: &output)
                output += ": "
                members[key]!.write(into: &output, indent: indent + 2)
                output += index == keys.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        }
    }

    private static func writeString(_ value: String, into output: inout String) {
        output += "\""
        for unit in value.utf16 {
            switch unit {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0x20..<0x7F: output.unicodeScalars.append(Unicode.Scalar(unit)!)
            default:
                let hex = String(unit, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        output += "\""
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
