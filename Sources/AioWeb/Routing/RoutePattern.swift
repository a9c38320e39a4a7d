import AioWire

/// A compiled route path such as `/users/{id}`, `/files/{name:[a-z]+}.txt` or `/static/{tail:.*}`.
///
/// Variables match one path segment, `%2F` included (`[^/]+` of the encoded path, unless a regex
/// is given); a variable alone in the last segment whose regex can span slashes (`.*`, `.+`, or
/// one naming `/`) takes the rest of the path. Values are percent-decoded.
struct RoutePattern: Sendable {
    /// One segment of the pattern. A struct rather than an enum with payloads: matching reads
    /// its fields in place, where binding an enum's payload copies the case (a regex included)
    /// on every request.
    ///
    /// Unchecked: a compiled `Regex` is immutable once built (it lowers itself once, atomically)
    /// and matching does not mutate it, so sharing it between tasks is safe.
    struct Part: @unchecked Sendable {
        enum Kind {
            /// Literal text, in `text`.
            case literal
            /// A whole segment that is one variable, named `text`, constrained by `regex` if any.
            case variable
            /// A segment mixing literal text and the variables `names`, matched by `regex`.
            case mixed
            /// The rest of the path, in the variable `text`, matched by `regex`.
            case tail
        }

        let kind: Kind
        /// The literal text, or the variable's name.
        var text = ""
        var regex: Regex<AnyRegexOutput>?
        var names: [String] = []
    }

    let source: String
    let parts: [Part]
    /// How many variables the pattern has.
    let variableCount: Int
    /// The parts as written, for building URLs: literals and variable names.
    let template: [[TemplatePiece]]

    enum TemplatePiece: Sendable {
        case text(String)
        case variable(String)
    }

    /// Whether the pattern has no variables.
    var isStatic: Bool { self.parts.allSatisfy { $0.kind == .literal } }

    init(_ source: String) throws {
        guard source.hasPrefix("/") else { throw RouteError(pattern: source, reason: "must start with /") }
        self.source = source
        let segments = try Self.splitSegments(source)
        var parts: [Part] = []
        var template: [[TemplatePiece]] = []
        for (index, segment) in segments.enumerated() {
            let pieces = try Self.parsePieces(segment, pattern: source)
            template.append(pieces.map { $0.template })
            let variables = pieces.filter(\.isVariable)
            if variables.isEmpty {
                parts.append(Part(kind: .literal, text: pieces.map(\.text).joined()))
            } else if pieces.count == 1, case .variable(let name, let regex) = pieces[0] {
                if let regex, index == segments.count - 1, Self.spansSegments(regex) {
                    parts.append(Part(kind: .tail, text: name, regex: try Self.compile("^(?:\(regex))$", pattern: source)))
                } else {
                    parts.append(Part(kind: .variable, text: name, regex: try regex.map { try Self.compile("^(?:\($0))$", pattern: source) }))
                }
            } else {
                var expression = "^"
                var names: [String] = []
                for piece in pieces {
                    switch piece {
                    case .text(let text): expression += Self.escape(text)
                    case .variable(let name, let regex):
                        // The segment is decoded already: a `/` (or a newline) in it came
                        // percent-encoded and belongs to the value, as it would in a variable
                        // alone in its segment.
                        expression += "(?<\(name)>\(regex ?? #"[\s\S]+"#))"
                        names.append(name)
                    }
                }
                parts.append(Part(kind: .mixed, regex: try Self.compile(expression + "$", pattern: source), names: names))
            }
        }
        self.parts = parts
        self.template = template
        self.variableCount = template.joined().count { if case .variable = $0 { true } else { false } }
    }

    /// The variable values when `segments` (percent-decoded path segments after the leading
    /// `/`) match, or nil.
    func match(_ segments: [String]) -> [String: String]? {
        // Sized at once: growing from empty costs a resize per request.
        var values = [String: String](minimumCapacity: self.variableCount)
        var index = 0
        for partIndex in self.parts.indices {
            let kind = self.parts[partIndex].kind
            if kind == .tail {
                let rest = segments[min(index, segments.count)...].joined(separator: "/")
                guard (try? self.parts[partIndex].regex?.wholeMatch(in: rest)) != nil else { return nil }
                values[self.parts[partIndex].text] = rest
                return values
            }
            guard index < segments.count else { return nil }
            switch kind {
            case .literal:
                guard segments[index] == self.parts[partIndex].text else { return nil }
            case .variable:
                guard !segments[index].isEmpty else { return nil }
                if let regex = self.parts[partIndex].regex, (try? regex.wholeMatch(in: segments[index])) == nil { return nil }
                values[self.parts[partIndex].text] = segments[index]
            case .mixed, .tail:
                guard let match = try? self.parts[partIndex].regex?.wholeMatch(in: segments[index]) else { return nil }
                for name in self.parts[partIndex].names {
                    values[name] = match.output[name]?.substring.map(String.init) ?? ""
                }
            }
            index += 1
        }
        return index == segments.count ? values : nil
    }

    /// The path for `values`, each percent-encoded.
    /// What a path segment may hold unescaped besides unreserved characters (RFC 3986 `pchar`).
    private static let pathSubDelimiters = Set("/!$&'()*+,;=:@".utf8)

    func url(_ values: [String: String]) throws -> String {
        var path = ""
        for pieces in self.template {
            path += "/"
            for piece in pieces {
                switch piece {
                case .text(let text): path += text
                case .variable(let name):
                    guard let value = values[name] else {
                        throw RouteError(pattern: self.source, reason: "no value for {\(name)}")
                    }
                    path += PercentEncoding.encode(value) { PercentEncoding.isUnreserved($0) || Self.pathSubDelimiters.contains($0) }
                }
            }
        }
        return path
    }

    // MARK: Parsing

    private enum Piece {
        case text(String)
        case variable(String, String?)

        var isVariable: Bool { if case .variable = self { return true } else { return false } }
        var text: String { if case .text(let text) = self { return text } else { return "" } }
        var template: TemplatePiece {
            switch self {
            case .text(let text): return .text(text)
            case .variable(let name, _): return .variable(name)
            }
        }
    }

    /// Splits after the leading `/` at slashes outside braces.
    private static func splitSegments(_ source: String) throws -> [String] {
        var segments: [String] = []
        var current = ""
        var depth = 0
        for character in source.dropFirst() {
            switch character {
            case "{": depth += 1
            case "}": depth -= 1
            default: break
            }
            guard depth >= 0 else { throw RouteError(pattern: source, reason: "unbalanced braces") }
            if character == "/" && depth == 0 {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard depth == 0 else { throw RouteError(pattern: source, reason: "unbalanced braces") }
        segments.append(current)
        return segments
    }

    private static func parsePieces(_ segment: String, pattern: String) throws -> [Piece] {
        var pieces: [Piece] = []
        var text = ""
        var index = segment.startIndex
        while index < segment.endIndex {
            let character = segment[index]
            guard character == "{" else {
                text.append(character)
                index = segment.index(after: index)
                continue
            }
            if !text.isEmpty { pieces.append(.text(text)) }
            text = ""
            var depth = 0
            var end = index
            while end < segment.endIndex {
                if segment[end] == "{" { depth += 1 }
                if segment[end] == "}" { depth -= 1 }
                if depth == 0 { break }
                end = segment.index(after: end)
            }
            let inner = segment[segment.index(after: index)..<end]
            let split = inner.firstIndex(of: ":")
            let name = String(inner[..<(split ?? inner.endIndex)])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.first?.isNumber == false else {
                throw RouteError(pattern: pattern, reason: "invalid variable name '\(name)'")
            }
            pieces.append(.variable(name, split.map { String(inner[inner.index(after: $0)...]) }))
            index = segment.index(after: end)
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    private static func spansSegments(_ regex: String) -> Bool {
        regex.contains(".*") || regex.contains(".+") || regex.contains("/")
    }

    private static func compile(_ expression: String, pattern: String) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex(expression)
        } catch {
            throw RouteError(pattern: pattern, reason: "invalid regex: \(error)")
        }
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// A route that cannot be compiled or a URL that cannot be built.
public struct RouteError: Error, Hashable, CustomStringConvertible {
    /// The pattern or route name concerned.
    public let pattern: String
    /// What is wrong.
    public let reason: String

    public var description: String { "Route '\(self.pattern)': \(self.reason)" }
}
