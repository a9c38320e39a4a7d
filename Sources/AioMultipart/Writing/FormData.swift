import NIOCore

/// Form fields and files to send as a request body, as aiohttp's `FormData`.
///
/// The body is `application/x-www-form-urlencoded` while the form holds only simple text
/// fields, and `multipart/form-data` as soon as one field has a file name, a content type,
/// bytes, a file or a stream (aiohttp's rule).
///
/// ```swift
/// var form = FormData()
/// form.add("title", "Holiday")
/// form.add("photo", file: "/tmp/beach.jpg", filename: "beach.jpg", contentType: "image/jpeg")
/// let body = try form.encode()     // multipart/form-data
/// ```
public struct FormData: Sendable {
    private enum Value: Sendable {
        case text(String)
        case part(BodyPartWriter.Payload, filename: String?, contentType: String?)
    }

    private var fields: [(name: String, value: Value)] = []
    /// Whether non-ASCII field and file names are written the RFC 8187 way (`filename*=`), or
    /// as raw UTF-8 in quotes (the default), as browsers, requests and httpx send them and as
    /// RFC 7578 §4.2 asks for `multipart/form-data`.
    public var quoteFields: Bool

    /// An empty form.
    public init(quoteFields: Bool = false) {
        self.quoteFields = quoteFields
    }

    /// Whether the form must be sent as `multipart/form-data`.
    public var isMultipart: Bool {
        self.fields.contains {
            if case .part = $0.value { return true }
            return false
        }
    }

    /// Adds a text field.
    public mutating func add(_ name: String, _ value: String) {
        self.fields.append((name, .text(value)))
    }

    /// Adds a text field with a content type, which makes the form multipart.
    public mutating func add(_ name: String, _ value: String, contentType: String) {
        self.fields.append((name, .part(.bytes(ByteBuffer(string: value)), filename: nil, contentType: contentType)))
    }

    /// Adds bytes, sent with `filename` (the field name unless given), as aiohttp does.
    public mutating func add(_ name: String, bytes: ByteBuffer, filename: String? = nil, contentType: String? = nil) {
        self.fields.append((name, .part(.bytes(bytes), filename: filename ?? name, contentType: contentType)))
    }

    /// Adds the file at `path`, read as the body is sent; named after the file unless
    /// `filename` is given.
    public mutating func add(_ name: String, file path: String, filename: String? = nil, contentType: String? = nil) {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        self.fields.append((name, .part(.file(path: path), filename: filename ?? base, contentType: contentType)))
    }

    /// Adds bytes produced by `stream` as the body is sent.
    public mutating func add(
        _ name: String,
        stream: some AsyncSequence<ByteBuffer, any Error> & Sendable,
        length: Int? = nil,
        filename: String? = nil,
        contentType: String? = nil
    ) {
        self.fields.append((name, .part(.stream(stream, length: length), filename: filename, contentType: contentType)))
    }

    /// The body to send.
    public enum Body: Sendable {
        /// `application/x-www-form-urlencoded` bytes.
        case urlencoded(ByteBuffer)
        /// A `multipart/form-data` body to stream.
        case multipart(MultipartWriter)

        /// The `Content-Type` to send with the body.
        public var contentType: String {
            switch self {
            case .urlencoded: "application/x-www-form-urlencoded"
            case .multipart(let writer): writer.contentType
            }
        }
    }

    /// The body, urlencoded or multipart by the rule above.
    ///
    /// - Throws: ``InvalidContentDisposition`` or ``MultipartError`` for fields that cannot
    ///   be written.
    public func encode() throws -> Body {
        guard self.isMultipart else {
            let pairs = self.fields.compactMap { field -> (String, String)? in
                guard case .text(let text) = field.value else { return nil }
                return (field.name, text)
            }
            return .urlencoded(ByteBuffer(string: FormEncoding.encode(pairs)))
        }
        var writer = try MultipartWriter(subtype: "form-data")
        for (name, value) in self.fields {
            var parameters = [("name", name)]
            var part: BodyPartWriter
            switch value {
            case .text(let text):
                part = BodyPartWriter(.bytes(ByteBuffer(string: text)))
            case .part(let content, let filename, let contentType):
                part = BodyPartWriter(content)
                if let filename { parameters.append(("filename", filename)) }
                part.headers[.contentType] = contentType ?? (filename == nil ? "text/plain; charset=utf-8" : "application/octet-stream")
            }
            try part.setContentDisposition("form-data", quoteFields: self.quoteFields, parameters: parameters)
            try writer.append(part)
        }
        return .multipart(writer)
    }
}
