import AioWire

/// A `Content-Disposition` type or parameter name that is not a token.
public struct InvalidContentDisposition: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending type or parameter name.
    public let value: String

    public var description: String { "Content-Disposition type and parameter names must be tokens: \(self.value)" }
}

/// Builds a `Content-Disposition` field value, as aiohttp's `content_disposition_header`.
///
/// With `quoteFields` (the default), ASCII values are written as quoted strings with `"` and
/// `\` escaped, and a value with other characters is written the RFC 8187 way
/// (`filename*=UTF-8''%E2%82%AC.txt`) next to an ASCII fallback for `filename` (non-ASCII
/// characters as `_`), which old recipients read. Without it, values are quoted as they are,
/// raw UTF-8 included, as browsers send `multipart/form-data` (RFC 7578 §4.2).
///
/// ```swift
/// try contentDispositionHeader("form-data", parameters: [("name", "file"), ("filename", "résumé.pdf")])
/// // form-data; name="file"; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
/// ```
///
/// - Throws: ``InvalidContentDisposition`` when `type` or a parameter name is not a token.
public func contentDispositionHeader(
    _ type: String,
    parameters: [(String, String)] = [],
    quoteFields: Bool = true
) throws -> String {
    guard HTTPToken.isToken(type) else { throw InvalidContentDisposition(value: type) }
    var header = type
    for (name, value) in parameters {
        guard HTTPToken.isToken(name) else { throw InvalidContentDisposition(value: name) }
        let printable = value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F || $0 == "\t" }
        if !quoteFields || printable {
            header += "; \(name)=\(quotedString(value))"
            continue
        }
        if name.lowercased() == "filename" {
            let fallback = String(String.UnicodeScalarView(value.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? $0 : "_" }))
            header += "; \(name)=\(quotedString(fallback))"
        }
        header += "; \(name)*=\(ExtendedValue.encode(value))"
    }
    return header
}

/// `text` as an HTTP quoted-string: in double quotes, with `"` and `\` escaped; control
/// characters other than HTAB, which no field value may hold, become spaces.
func quotedString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"", "\\":
            result.unicodeScalars.append("\\")
            result.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F:
            result.unicodeScalars.append(" ")
        default:
            result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
