import AioWire
import Logging

/// A parsed `Content-Disposition` field (RFC 6266): the disposition type and its parameters.
///
/// Parameter names are lower-cased. Extended parameters (`filename*=UTF-8''%e2%82%ac.txt`,
/// RFC 8187) are stored decoded under their starred name; RFC 2231 continuations
/// (`filename*0*=…; filename*1=…`) are kept as they came and joined by ``filename``.
public struct ContentDisposition: Sendable, Hashable {
    /// The disposition type, lower-cased: `inline`, `attachment`, `form-data` or an extension.
    public var type: String
    /// The parameters by lower-cased name.
    public var parameters: [String: String]

    /// A disposition of `type` with `parameters`.
    public init(type: String, parameters: [String: String] = [:]) {
        self.type = type
        self.parameters = parameters
    }

    /// The `name` parameter, which names a `multipart/form-data` field.
    public var name: String? { contentDispositionFilename(self.parameters, name: "name") }

    /// The file name the sender meant (RFC 6266 §4.3): `filename*` when present, else the
    /// RFC 2231 continuations, else `filename`.
    public var filename: String? { contentDispositionFilename(self.parameters) }
}

/// A problem found while parsing a `Content-Disposition` field, reported without failing the
/// parse, as aiohttp's warnings of the same names.
public protocol ContentDispositionWarning: Sendable, CustomStringConvertible {}

/// The whole `Content-Disposition` field is malformed and was ignored.
public struct BadContentDispositionHeader: ContentDispositionWarning, Hashable {
    /// The field value, as received.
    public let header: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "Bad Content-Disposition header (\(self.reason)): \(self.header)" }
}

/// One parameter of a `Content-Disposition` field is malformed and was dropped; the rest of the
/// field was kept.
public struct BadContentDispositionParam: ContentDispositionWarning, Hashable {
    /// The parameter name, lower-cased, as received.
    public let name: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "Bad Content-Disposition parameter \(self.name) (\(self.reason))" }
}

/// Parses a `Content-Disposition` field value given as its octets (RFC 6266, RFC 8187, with
/// RFC 2231 continuations); nil when the field is malformed.
///
/// Strict where the RFCs are clear, as Julian Reschke's tc2231 cases expect: the type and
/// unquoted values are tokens, parameters are separated by `;`, names do not repeat. A malformed
/// field is reported as ``BadContentDispositionHeader`` and ignored; a malformed extended value
/// (unknown charset, bad percent-escape, bytes that are not valid in the charset, control
/// characters) as ``BadContentDispositionParam``, and only that parameter is dropped. Quoted
/// values are read as UTF-8 when they are valid UTF-8, as browsers send them in form data, and
/// as ISO-8859-1 otherwise.
///
/// - Parameters:
///   - value: the field's value, as received.
///   - diagnostics: called with every warning.
///   - logger: given, each warning is also logged at `warning` level.
public func parseContentDisposition(
    _ value: some Collection<UInt8>,
    diagnostics: ((any ContentDispositionWarning) -> Void)? = nil,
    logger: Logger? = nil
) -> ContentDisposition? {
    var parser = ContentDispositionParser(Array(value))
    let report: (any ContentDispositionWarning) -> Void = { warning in
        diagnostics?(warning)
        logger?.warning("Malformed Content-Disposition", metadata: ["problem": "\(warning)"])
    }
    return parser.parse(report: report)
}

/// Parses a `Content-Disposition` field value given as text; see
/// ``parseContentDisposition(_:diagnostics:logger:)-(Collection<UInt8>,_,_)``.
public func parseContentDisposition(
    _ value: String,
    diagnostics: ((any ContentDispositionWarning) -> Void)? = nil,
    logger: Logger? = nil
) -> ContentDisposition? {
    parseContentDisposition(Array(value.utf8), diagnostics: diagnostics, logger: logger)
}

/// The value of parameter `name` as RFC 6266 §4.3 and RFC 2231 define it, as aiohttp's
/// `content_disposition_filename`: `name*` first, then `name*0`, `name*1`… joined in order
/// (decoded with the charset of `name*0*`), then plain `name`; nil when none is usable.
public func contentDispositionFilename(_ parameters: [String: String], name: String = "filename") -> String? {
    if let extended = parameters[name + "*"] { return extended }
    if let joined = ExtendedValue.joinContinuations(parameters, name: name) { return joined }
    return parameters[name]
}

/// The recursive-descent parser behind ``parseContentDisposition(_:diagnostics:logger:)-(Collection<UInt8>,_,_)``.
struct ContentDispositionParser {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var header: String { String(decoding: self.bytes, as: UTF8.self) }

    mutating func parse(report: (any ContentDispositionWarning) -> Void) -> ContentDisposition? {
        func invalid(_ reason: String) -> ContentDisposition? {
            report(BadContentDispositionHeader(header: self.header, reason: reason))
            return nil
        }
        self.skipWhitespace()
        let type = self.token()
        guard !type.isEmpty else { return invalid("the disposition type is not a token") }
        var parameters: [String: String] = [:]
        var seen = Set<String>()
        self.skipWhitespace()
        while self.index < self.bytes.count {
            guard self.bytes[self.index] == UInt8(ascii: ";") else {
                return invalid("expected ';' at offset \(self.index)")
            }
            self.index += 1
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] != UInt8(ascii: ";") else {
                return invalid("empty parameter")
            }
            let nameStart = self.index
            while self.index < self.bytes.count, self.bytes[self.index] != UInt8(ascii: "="),
                self.bytes[self.index] != UInt8(ascii: ";")
            {
                self.index += 1
            }
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "=") else {
                return invalid("parameter without '='")
            }
            let name = Self.lowercased(Self.trimmed(self.bytes[nameStart..<self.index]))
            self.index += 1
            self.skipWhitespace()
            guard let value = self.value() else { return invalid("the value of \(name) is neither a token nor a quoted string") }
            self.skipWhitespace()
            guard self.index == self.bytes.count || self.bytes[self.index] == UInt8(ascii: ";") else {
                return invalid("junk after the value of \(name)")
            }
            guard seen.insert(name).inserted else { return invalid("parameter \(name) repeated") }
            guard HTTPToken.isToken(name) else {
                report(BadContentDispositionParam(name: name, reason: "the name is not a token"))
                continue
            }
            if ExtendedValue.isContinuation(name) {
                parameters[name] = value.text
            } else if name.hasSuffix("*") {
                guard !value.quoted else {
                    report(BadContentDispositionParam(name: name, reason: "an extended value cannot be quoted"))
                    continue
                }
                switch ExtendedValue.decode(value.text) {
                case .success(let decoded): parameters[name] = decoded
                case .failure(let problem): report(BadContentDispositionParam(name: name, reason: problem.reason))
                }
            } else {
                parameters[name] = value.text
            }
        }
        return ContentDisposition(type: type.lowercased(), parameters: parameters)
    }

    /// A token or a quoted string, and whether it was quoted; nil when neither is there.
    private mutating func value() -> (text: String, quoted: Bool)? {
        guard self.index < self.bytes.count else { return nil }
        guard self.bytes[self.index] == UInt8(ascii: "\"") else {
            let token = self.token()
            return token.isEmpty ? nil : (token, false)
        }
        var content: [UInt8] = []
        self.index += 1
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return (Self.decodeOctets(content), true)
            case UInt8(ascii: "\\"):
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): never a control character.
                guard self.index < self.bytes.count else { return nil }
                let escaped = self.bytes[self.index]
                guard escaped == 0x09 || (escaped >= 0x20 && escaped != 0x7F) else { return nil }
                content.append(escaped)
                self.index += 1
            case 0x00..<0x09, 0x0A..<0x20, 0x7F:
                return nil
            default:
                content.append(byte)
            }
        }
        return nil
    }

    private mutating func token() -> String {
        let start = self.index
        while self.index < self.bytes.count, HTTPToken.isTokenChar(self.bytes[self.index]) { self.index += 1 }
        return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: " ") || self.bytes[self.index] == UInt8(ascii: "\t") {
            self.index += 1
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes.removeFirst() }
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes.removeLast() }
        return bytes
    }

    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Quoted-string octets as text: UTF-8 when they are valid UTF-8, ISO-8859-1 otherwise.
    static func decodeOctets(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
