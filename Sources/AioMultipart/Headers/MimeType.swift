/// A media type split into its parts, as aiohttp's `MimeType`: `application/atom+xml; charset=utf-8`
/// is type `application`, subtype `atom`, suffix `xml` and parameter `charset` = `utf-8`.
///
/// Type, subtype, suffix and parameter names are lower-cased (they are case-insensitive);
/// parameter values keep their case, quoted values are unquoted and unescaped.
public struct MimeType: Sendable, Hashable {
    /// The top-level type (`text`, `multipart`), empty when there is none.
    public var type: String
    /// The subtype without its suffix (`plain`, `form-data`), empty when there is none.
    public var subtype: String
    /// The structured-syntax suffix after `+` (`xml`, `json`), empty when there is none.
    public var suffix: String
    /// The parameters in order; a name may repeat.
    public var parameters: MultiDict<String>

    /// A media type made of its parts.
    public init(type: String, subtype: String, suffix: String = "", parameters: MultiDict<String> = [:]) {
        self.type = type
        self.subtype = subtype
        self.suffix = suffix
        self.parameters = parameters
    }

    /// `type/subtype` with the suffix, without parameters (`application/atom+xml`).
    public var essence: String {
        self.suffix.isEmpty ? "\(self.type)/\(self.subtype)" : "\(self.type)/\(self.subtype)+\(self.suffix)"
    }

    public static func == (lhs: MimeType, rhs: MimeType) -> Bool {
        lhs.type == rhs.type && lhs.subtype == rhs.subtype && lhs.suffix == rhs.suffix
            && lhs.parameters == rhs.parameters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.type)
        hasher.combine(self.subtype)
        hasher.combine(self.suffix)
        for (key, value) in self.parameters {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

/// Parses a `Content-Type`-style media type, as aiohttp's `parse_mimetype`.
///
/// Never fails: an empty string gives an empty type, `*` means `*/*`, a missing subtype is
/// empty, a parameter without `=` has an empty value and one without a name is ignored.
/// Semicolons inside quoted values do not split parameters.
///
/// ```swift
/// let type = parseMimetype(#"multipart/form-data; boundary="a;b""#)
/// type.parameters["boundary"]   // "a;b"
/// ```
public func parseMimetype(_ mimetype: String) -> MimeType {
    let items = HeaderParameters.split(mimetype)
    var full = items.first.map { HeaderParameters.trimmed($0).lowercased() } ?? ""
    if full == "*" { full = "*/*" }
    let slash = full.firstIndex(of: "/")
    let type = String(full[..<(slash ?? full.endIndex)])
    let rest = slash.map { full[full.index(after: $0)...] } ?? ""
    let plus = rest.firstIndex(of: "+")
    var parameters = MultiDict<String>()
    for item in items.dropFirst() {
        let equals = item.firstIndex(of: "=")
        let name = HeaderParameters.trimmed(item[..<(equals ?? item.endIndex)]).lowercased()
        guard !name.isEmpty else { continue }
        let value = equals.map { HeaderParameters.unquoted(HeaderParameters.trimmed(item[item.index(after: $0)...])) } ?? ""
        parameters.append(name, value)
    }
    return MimeType(
        type: type,
        subtype: String(rest[..<(plus ?? rest.endIndex)]),
        suffix: plus.map { String(rest[rest.index(after: $0)...]) } ?? "",
        parameters: parameters
    )
}

/// The small pieces of `;`-separated header parameter syntax that media types and
/// Content-Disposition share.
enum HeaderParameters {
    /// `text` split at the semicolons outside quoted strings.
    static func split(_ text: String) -> [Substring] {
        // Bytes, not Characters: the delimiters are ASCII, and grapheme breaking is costly.
        var items: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        var quoted = false
        while index < utf8.endIndex {
            let byte = utf8[index]
            if quoted, byte == UInt8(ascii: "\\") {
                index = utf8.index(after: index)
                if index < utf8.endIndex { index = utf8.index(after: index) }
                continue
            }
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: ";"), !quoted {
                items.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        items.append(text[start...])
        return items
    }

    /// `text` without surrounding spaces and tabs.
    static func trimmed(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        var lower = utf8.startIndex
        var upper = utf8.endIndex
        while lower < upper, utf8[lower] == UInt8(ascii: " ") || utf8[lower] == UInt8(ascii: "\t") {
            lower = utf8.index(after: lower)
        }
        while lower < upper {
            let before = utf8.index(before: upper)
            guard utf8[before] == UInt8(ascii: " ") || utf8[before] == UInt8(ascii: "\t") else { break }
            upper = before
        }
        return text[lower..<upper]
    }

    /// A quoted string's content with `\x` escapes resolved; anything else as it is.
    static func unquoted(_ text: Substring) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return String(text) }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
