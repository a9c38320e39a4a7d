import AioWire

/// RFC 8187 extended parameter values (`UTF-8'en'%e2%82%ac%20rates`) and RFC 2231 parameter
/// continuations (`filename*0*=…; filename*1=…`).
enum ExtendedValue {
    /// Why an extended value was refused.
    struct Problem: Error {
        let reason: String
    }

    /// Decodes `charset'language'value-chars`: the charset must be UTF-8 or ISO-8859-1, every
    /// byte an `attr-char` or a `%XX` escape, and the result free of control characters.
    static func decode(_ text: String) -> Result<String, Problem> {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return .failure(Problem(reason: "not charset'language'value")) }
        guard let charset = TextCharset(pieces[0]) else {
            return .failure(Problem(reason: "unsupported charset '\(pieces[0])'"))
        }
        return Self.decode(pieces[2], charset: charset)
    }

    /// Percent-decodes `text` and reads the bytes in `charset`.
    static func decode(_ text: Substring, charset: TextCharset) -> Result<String, Problem> {
        guard let bytes = Self.percentDecoded(text) else {
            return .failure(Problem(reason: "malformed percent-encoding"))
        }
        guard let decoded = charset.decode(bytes) else {
            return .failure(Problem(reason: "bytes that are not \(charset)"))
        }
        guard !decoded.unicodeScalars.contains(where: Self.isControl) else {
            return .failure(Problem(reason: "control characters"))
        }
        return .success(decoded)
    }

    /// The bytes of `text` with `%XX` escapes resolved; nil for a byte outside `attr-char` or a
    /// broken escape.
    static func percentDecoded(_ text: Substring) -> [UInt8]? {
        PercentEncoding.decodeStrictly(text, allowed: Self.isAttributeChar)
    }

    /// `UTF-8''` followed by `text`'s bytes, `attr-char`s as they are and the rest escaped.
    static func encode(_ text: String) -> String {
        "UTF-8''" + PercentEncoding.encode(text, unescaped: Self.isAttributeChar)
    }

    /// Whether `name` is an RFC 2231 section: `base*N` or `base*N*`.
    static func isContinuation(_ name: String) -> Bool {
        Self.section(of: name) != nil
    }

    /// The base name, index and whether the section is encoded, for `base*N` and `base*N*`;
    /// nil for other names. An index with a leading zero is no section (RFC 2231 §3).
    static func section(of name: String) -> (base: Substring, index: Int, encoded: Bool)? {
        guard let star = name.firstIndex(of: "*") else { return nil }
        var digits = name[name.index(after: star)...]
        let encoded = digits.hasSuffix("*")
        if encoded { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            digits == "0" || !digits.hasPrefix("0"), digits.count < 6, let index = Int(digits)
        else { return nil }
        return (name[..<star], index, encoded)
    }

    /// The sections of parameter `name` joined in index order from `*0` up to the first gap,
    /// decoded with the charset `*0*` names; nil without a `*0` section or when decoding fails.
    static func joinContinuations(_ parameters: [String: String], name: String) -> String? {
        var sections: [Int: (value: String, encoded: Bool)] = [:]
        for (key, value) in parameters {
            guard let section = Self.section(of: key), section.base == name else { continue }
            sections[section.index] = (value, section.encoded)
        }
        guard let first = sections[0] else { return nil }
        var charset = TextCharset.utf8
        var bytes: [UInt8] = []
        var index = 0
        while let section = sections[index] {
            var value = Substring(section.value)
            if index == 0, first.encoded {
                let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                guard pieces.count == 3, let named = TextCharset(pieces[0]) else { return nil }
                charset = named
                value = pieces[2]
            }
            if section.encoded {
                guard let decoded = Self.percentDecoded(value) else { return nil }
                bytes += decoded
            } else {
                guard let encoded = charset.encode(String(value)) else { return nil }
                bytes += encoded
            }
            index += 1
        }
        guard let text = charset.decode(bytes), !text.unicodeScalars.contains(where: Self.isControl) else { return nil }
        return text
    }

    /// `attr-char` of RFC 8187: ALPHA, DIGIT and ``!#$&+-.^_`|~``.
    static func isAttributeChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: "-"),
            UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }
}
