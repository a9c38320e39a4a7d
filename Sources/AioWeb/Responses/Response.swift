#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioServer
import AioStreams
import AioWire
import HTTPTypes
import NIOCore

/// What a handler answers: status, header fields, cookies and a body, as aiohttp's
/// `web.Response`; a streamed body covers `StreamResponse`.
///
/// ```swift
/// router.get("/hello") { _ in .text("Hello") }
/// router.get("/user/{id}") { request in try .json(User(id: request.matchInfo["id"]!)) }
/// router.get("/events") { _ in
///     .stream { writer in
///         for index in 0..<3 { try await writer.write(ByteBuffer(string: "event \(index)\n")) }
///     }
/// }
/// ```
public struct Response: Sendable {
    /// How the body is produced.
    public enum Body: Sendable {
        /// No body.
        case empty
        /// Bytes held in memory, sent with `Content-Length`.
        case buffer(ByteBuffer)
        /// Bytes produced while sending: with a known `length` they go out with
        /// `Content-Length`, otherwise chunked (HTTP/1.1) or until close (HTTP/1.0).
        case stream(length: Int?, @Sendable (inout ResponseBodyWriter) async throws -> Void)
        /// A `101 Switching Protocols` answer: the connection is handed to `run`, and closes
        /// when it returns. ``WebSocketResponse`` makes these.
        case switchProtocols(@Sendable (UpgradedConnection) async throws -> Void)
    }

    /// The status.
    public var status: HTTPResponse.Status
    /// The header fields.
    public var headers: HTTPFields
    /// The body. A text body (``text(_:status:contentType:)``) becomes bytes here only when
    /// read: the server writes the text straight into the response head's buffer.
    public var body: Body {
        get { self.content.body }
        set { self.content = .body(newValue) }
    }
    /// The body as it was made.
    private(set) var content: Content
    /// Cookies to set, sent as `Set-Cookie` fields.
    public var cookies: [Cookie] = []

    /// A response from its parts.
    public init(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], body: Body = .empty) {
        self.init(status: status, headers: headers, content: .body(body))
    }

    private init(status: HTTPResponse.Status, headers: HTTPFields, content: Content) {
        self.status = status
        self.headers = headers
        self.content = content
    }

    /// A body as a response holds it: text stays a string until it is written.
    enum Content: Sendable {
        case body(Body)
        case text(String)

        var body: Body {
            switch self {
            case .body(let body): body
            case .text(let text): .buffer(ByteBuffer(string: text))
            }
        }
    }

    /// A text response (`text/plain; charset=utf-8` unless told otherwise).
    public static func text(
        _ text: String,
        status: HTTPResponse.Status = .ok,
        contentType: String = "text/plain; charset=utf-8"
    ) -> Response {
        Response(status: status, headers: Self.fields(contentType: contentType), content: .text(text))
    }

    /// Fields of the content types responses are most often made with, built once: a response
    /// made with one shares their storage until it changes its fields.
    private static let plainTextFields: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
    private static let htmlFields: HTTPFields = [.contentType: "text/html; charset=utf-8"]
    private static let jsonFields: HTTPFields = [.contentType: "application/json"]
    private static let octetStreamFields: HTTPFields = [.contentType: "application/octet-stream"]

    /// Header fields holding only `contentType`.
    private static func fields(contentType: String) -> HTTPFields {
        switch contentType {
        case "text/plain; charset=utf-8": return Self.plainTextFields
        case "text/html; charset=utf-8": return Self.htmlFields
        case "application/json": return Self.jsonFields
        case "application/octet-stream": return Self.octetStreamFields
        default: return [.contentType: contentType]
        }
    }

    /// An HTML response.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        .text(html, status: status, contentType: "text/html; charset=utf-8")
    }

    /// Bytes with a content type (`application/octet-stream` unless told otherwise).
    public static func bytes(
        _ bytes: ByteBuffer,
        status: HTTPResponse.Status = .ok,
        contentType: String = "application/octet-stream"
    ) -> Response {
        Response(status: status, headers: Self.fields(contentType: contentType), body: .buffer(bytes))
    }

    /// `value` encoded as JSON (`application/json`), written straight into the body's buffer by
    /// ``/AioStreams/JSONBufferEncoder`` (what `JSONEncoder` with its defaults would write).
    public static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        var body = ByteBuffer()
        try JSONBufferEncoder().encode(value, into: &body)
        return Response(status: status, headers: Self.jsonFields, body: .buffer(body))
    }

    /// `value` encoded as JSON (`application/json`) by `encoder`, for its options (sorted keys,
    /// date and key strategies, pretty printing).
    public static func json<Value: Encodable>(
        _ value: Value,
        status: HTTPResponse.Status = .ok,
        encoder: JSONEncoder
    ) throws -> Response {
        Response(status: status, headers: Self.jsonFields, body: .buffer(ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// A streamed body written by `produce` after the head is sent (aiohttp's `StreamResponse`:
    /// the head goes out when `produce` starts).
    public static func stream(
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        length: Int? = nil,
        _ produce: @escaping @Sendable (inout ResponseBodyWriter) async throws -> Void
    ) -> Response {
        Response(status: status, headers: headers, body: .stream(length: length, produce))
    }

    /// The response an ``HTTPException`` (or any `HTTPProcessingError`) stands for: its status,
    /// its fields and its text.
    public init(_ error: some HTTPProcessingError) {
        var headers = error.headers
        let status = error.status
        let hasBody = status.code != 204 && status.code != 304 && status.code >= 200
        if hasBody, headers[.contentType] == nil {
            headers[.contentType] = "text/plain; charset=utf-8"
        }
        self.init(status: status, headers: headers, body: hasBody ? .buffer(ByteBuffer(string: error.message)) : .empty)
    }

    /// Sets a cookie, replacing one of the same name set before on this response.
    ///
    /// - Throws: ``InvalidCookie`` for a name that is not a token or a `Domain` or `Path` that
    ///   would end the attribute (as Python's `http.cookies`, under aiohttp, refuses them).
    public mutating func setCookie(_ cookie: Cookie) throws(InvalidCookie) {
        try cookie.validate()
        self.cookies.removeAll { $0.name == cookie.name }
        self.cookies.append(cookie)
    }

    /// Tells the client to drop the cookie `name`.
    ///
    /// - Throws: ``InvalidCookie`` as ``setCookie(_:)``.
    public mutating func deleteCookie(_ name: String, path: String? = "/", domain: String? = nil) throws(InvalidCookie) {
        try self.setCookie(.deletion(name: name, path: path, domain: domain))
    }

    /// The content type.
    public var contentType: String? {
        get { self.headers[.contentType] }
        set { self.headers[.contentType] = newValue }
    }

    /// The body's length when it is known before sending.
    public var contentLength: Int? {
        if case .text(let text) = self.content { return text.utf8.count }
        switch self.body {
        case .empty: return 0
        case .buffer(let buffer): return buffer.readableBytes
        case .stream(let length, _): return length
        case .switchProtocols: return nil
        }
    }

    /// The head as swift-http-types has it, cookies included.
    public var httpResponse: HTTPResponse {
        var fields = self.headers
        for cookie in self.cookies {
            fields.append(HTTPField(name: .setCookie, value: cookie.headerValue))
        }
        // The status lives in storage of its own: the common 200 OK shares one made once.
        var response = self.status.code == 200 && self.status.reasonPhrase == "OK" ? Self.ok : HTTPResponse(status: self.status)
        response.headerFields = fields
        return response
    }

    private static let ok = HTTPResponse(status: .ok)
}
