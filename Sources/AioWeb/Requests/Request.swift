#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioMultipart
import AioServer
import AioWire
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore

/// A request as a handler sees it (aiohttp's `web.Request`): method, URL parts, query,
/// fields, cookies, the route's match info, and the body as a stream or read whole.
///
/// `read()`, `text()`, `json(as:)` and `post()` read the body once, up to ``clientMaxSize``
/// (413 past it), and keep it, so they can be called again.
public struct Request: Sendable {
    /// The request as the server handed it (one shared box: copies of a request are cheap).
    private let server: ServerRequest
    /// The parsed head.
    public var head: HTTPRequestHead { self.server.head }
    /// The connection it came on.
    public var connection: ConnectionInfo { self.server.connection }
    /// The body, read as it arrives, its `Content-Encoding` (gzip, deflate) decoded to at most
    /// ``clientMaxSize`` bytes. Read it either this way or through `read()` and friends.
    public var body: RequestBody {
        guard let cache = self.cache, let coding = self.headers[.contentEncoding] else { return self.server.body }
        return cache.decoded(self.server.body, contentEncoding: coding, limit: self.clientMaxSize)
    }
    /// Values of the route's variable parts, percent-decoded (`{id}` in `/users/{id}`).
    public internal(set) var matchInfo: [String: String] = [:]
    /// The application whose route matched (a sub-application for its routes).
    public internal(set) var app: Application
    /// The most the body-reading methods read before answering 413 (1 MiB by default, as
    /// aiohttp's `client_max_size`).
    public var clientMaxSize: Int
    /// The name of the route that matched, if it has one.
    public internal(set) var routeName: String?
    /// The path pattern of the route that matched (`/users/{id}`), after the prefixes of the
    /// sub-applications it is in: a name for the request that does not grow with its values,
    /// as OpenTelemetry's `http.route`. Nil when no route matched.
    public var route: String? { self.routePath.map { self.routingPrefix + $0 } }
    /// The matched route's own path pattern.
    var routePath: String?
    /// The body once read, shared by copies of the request; none when there is no body.
    private let cache: BodyCache?
    /// The handler routing chose; middlewares call it through `next`.
    var routeHandler: Handler?
    /// The prefixes of the sub-applications the request went through, which routing skips.
    var routingPrefix = ""

    /// Whether routing found a route for the request (not a 404).
    public var isRouted: Bool { self.routeHandler != nil }

    /// A request for `server`'s request, handled by `app`.
    public init(_ server: ServerRequest, app: Application) {
        self.server = server
        self.app = app
        self.clientMaxSize = app.clientMaxSize
        self.cache = server.body.expectedLength == 0 ? nil : BodyCache()
    }

    /// The method.
    public var method: HTTPRequest.Method { self.server.method }
    /// The header fields (without `Host`, which is ``host``).
    public var headers: HTTPFields { self.head.request.headerFields }
    /// The HTTP version.
    public var version: HTTPVersion { self.head.version }
    /// The request-target as sent: path and query, still percent-encoded.
    public var pathAndQuery: String { self.head.request.path ?? "" }
    /// The path as sent, percent-encoded, without the query.
    public var rawPath: String {
        var target = self.pathAndQuery
        // Scanned in the contiguous bytes: through the UTF-8 view, ~20 instructions a byte.
        let path = target.withUTF8 { bytes in
            bytes.firstIndex(of: UInt8(ascii: "?")).map { String(decoding: bytes[..<$0], as: UTF8.self) }
        }
        return path ?? target
    }
    /// The path, percent-decoded.
    public var path: String { PercentEncoding.decode(self.rawPath) }
    /// The query string, still encoded, without `?`.
    public var queryString: String {
        let target = self.pathAndQuery
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return "" }
        let query = target[target.utf8.index(after: mark)...]
        return String(query[..<(query.utf8.firstIndex(of: UInt8(ascii: "#")) ?? query.endIndex)])
    }
    /// The query parameters, decoded, in order.
    public var query: MultiDict<String> { FormEncoding.decode(self.queryString) }
    /// The host the client asked for: `Host` (or the authority of an absolute-form target), or
    /// what a trusted proxy received (``/AioServer/ServerConfiguration/forwarded``).
    public var host: String? { self.server.host }
    /// "http" or "https", as the client asked (through a trusted proxy, as it received it).
    public var scheme: String { self.server.scheme }
    /// The client's IP address: the peer's, or the one trusted proxies relay
    /// (``/AioServer/ServerConfiguration/forwarded``; nil when they said `unknown`).
    public var remote: String? { self.server.remoteAddress?.ipAddress }
    /// What trusted proxies said about the client, when they did.
    public var forwarded: ForwardedHeaders.Client? { self.server.forwarded }
    /// The request's cookies by name.
    public var cookies: [String: String] {
        self.headers[.cookie].map(Cookie.parse) ?? [:]
    }
    /// Whether the connection stays open after this request.
    public var keepAlive: Bool { self.head.keepAlive }
    /// The media type of the body, lower-cased, without parameters (`application/json`).
    public var contentType: String {
        guard let value = self.headers[.contentType] else { return "application/octet-stream" }
        return parseMimetype(value).essence
    }
    /// The `charset` parameter of `Content-Type`, lower-cased.
    public var charset: String? {
        self.headers[.contentType].flatMap { parseMimetype($0).parameters["charset"]?.lowercased() }
    }
    /// `Content-Length`, when the body has one.
    public var contentLength: Int? { self.body.expectedLength }
    /// The URL, rebuilt from scheme, host and target.
    public var url: String { "\(self.scheme)://\(self.host ?? "")\(self.pathAndQuery)" }

    /// The whole body, at most ``clientMaxSize`` bytes.
    public func read() async throws -> ByteBuffer {
        guard let cache = self.cache else { return ByteBuffer() }
        return try await cache.read(self.body, limit: self.clientMaxSize)
    }

    /// The body as text, decoded with the `charset` of `Content-Type` (UTF-8 by default).
    public func text() async throws -> String {
        let name = self.charset ?? "utf-8"
        guard let charset = TextCharset(name) else { throw HTTPUnsupportedMediaType(text: "Unsupported charset: \(name)") }
        guard let text = charset.decode(try await self.read()) else { throw HTTPBadRequest("The body is not valid \(name)") }
        return text
    }

    /// The body decoded from JSON as `type`; malformed JSON is a 400.
    public func json<Value: Decodable>(as type: Value.Type, decoder: JSONDecoder = JSONDecoder()) async throws -> Value {
        let body = try await self.read()
        do {
            return try decoder.decode(type, from: Data(body.readableBytesView))
        } catch {
            throw HTTPBadRequest("Invalid JSON body: \(error)")
        }
    }

    /// The fields of a form body, as aiohttp's `post()`: `application/x-www-form-urlencoded`
    /// (read whole) or `multipart/form-data` (text fields in memory, at most
    /// ``Application/multipart``'s `maxFieldSize` in all; files as ``/AioMultipart/FileField``s, spooled to
    /// temporary files that are removed once the response has been sent, on every path). Every
    /// byte of the form, files included, counts against ``clientMaxSize`` (413 past it), as in
    /// aiohttp: raise it for uploads. Empty for other content types. Read once and kept, so it
    /// can be called again.
    ///
    /// - Throws: 400 for a malformed body; 413 past a limit; 503 when uploads in progress fill
    ///   the application's ``/AioMultipart/SpoolBudget`` or the disk's free space.
    public func post() async throws -> MultiDict<FormValue> {
        switch self.contentType {
        case "application/x-www-form-urlencoded":
            let fields = FormEncoding.decode(String(buffer: try await self.read()))
            return MultiDict(fields.pairs.map { ($0.key, FormValue.text($0.value)) })
        case "multipart/form-data":
            let read = { try await self.multipart().readForm(upTo: self.clientMaxSize) }
            guard let cache = self.cache else { return try await read().fields }
            return try await cache.form(read)
        default:
            return [:]
        }
    }

    /// A streaming reader of a `multipart/*` body, for handlers that process parts as they
    /// arrive (aiohttp's `multipart()`), with the limits of ``Application/multipart``.
    ///
    /// - Throws: ``/AioMultipart/MultipartError`` (400) when the body is not multipart.
    public func multipart() throws -> MultipartReader {
        try MultipartReader(headers: self.headers, body: self.body, configuration: self.app.multipart)
    }

    /// Removes the temporary files of uploads ``post()`` spooled. The application's responder
    /// calls it once the response has been sent; call it yourself when you run requests
    /// through ``FrozenApplication/process(_:)`` directly.
    public func removeTemporaryFiles() async {
        await self.cache?.removeTemporaryFiles()
    }
}

/// The body of a request once read, shared by the copies of a ``Request``.
final class BodyCache: Sendable {
    private enum State {
        case unread
        case reading
        case read(ByteBuffer)
        /// Read as a multipart form, whose temporary files are removed after the response.
        case form(UploadedForm)
        case failed(any Error)
    }

    private let state = NIOLockedValueBox(State.unread)
    /// The body with its content coding decoded, made on first use.
    private let decodedBody = NIOLockedValueBox<RequestBody?>(nil)

    /// `body` with its `Content-Encoding` decoded, the same sequence for every caller.
    func decoded(_ body: RequestBody, contentEncoding: String, limit: Int) -> RequestBody {
        self.decodedBody.withLockedValue { decoded in
            if let decoded { return decoded }
            let made = InflateTransform(contentEncoding: contentEncoding, limit: limit).map { body.transformed(by: $0) } ?? body
            decoded = made
            return made
        }
    }

    /// Moves from unread to reading; returns what an earlier read left instead, if any.
    private func start() throws -> State? {
        try self.state.withLockedValue { state -> State? in
            switch state {
            case .unread:
                state = .reading
                return nil
            case .failed(let error): throw error
            case .reading: throw BodyAlreadyBeingRead()
            case .read, .form: return state
            }
        }
    }

    /// The form `read` gives, read once; its temporary files are remembered for removal.
    func form(_ read: () async throws -> UploadedForm) async throws -> MultiDict<FormValue> {
        switch try self.start() {
        case .form(let form)?: return form.fields
        case .some: throw BodyAlreadyBeingRead()
        case nil: break
        }
        do {
            let form = try await read()
            self.state.withLockedValue { $0 = .form(form) }
            return form.fields
        } catch {
            self.state.withLockedValue { $0 = .failed(error) }
            throw error
        }
    }

    func removeTemporaryFiles() async {
        guard case .form(let form) = self.state.withLockedValue({ $0 }) else { return }
        await form.removeTemporaryFiles()
    }

    func read(_ body: RequestBody, limit: Int) async throws -> ByteBuffer {
        switch try self.start() {
        case .read(let buffer)?: return buffer
        case .some: return ByteBuffer()  // consumed as a form
        case nil: break
        }
        do {
            let buffer = try await body.collect(upTo: limit)
            self.state.withLockedValue { $0 = .read(buffer) }
            return buffer
        } catch let error as PayloadTooLarge {
            let exception = HTTPRequestEntityTooLarge(text: "Maximum request body size \(error.limit) exceeded")
            self.state.withLockedValue { $0 = .failed(exception) }
            throw exception
        } catch {
            self.state.withLockedValue { $0 = .failed(error) }
            throw error
        }
    }
}

/// The body was asked for while another task was still reading it.
public struct BodyAlreadyBeingRead: Error, Hashable {}
