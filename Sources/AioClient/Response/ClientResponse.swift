#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioMultipart
import AioStreams
import AioWire
import HTTPTypes
import NIOCore
import Synchronization

/// A response, as aiohttp's `ClientResponse`: the head at once, the body read when asked for
/// (whole with ``read()``, ``text()`` and ``json(as:contentType:decoder:)``, or piece by piece from
/// ``content``). A body is never silently short: a connection closed early, a bad chunk or a
/// compressed stream that ends early is a ``ClientPayloadError``.
///
/// The connection goes back to the pool as soon as the body has arrived whole; a response
/// dropped before that closes its connection.
public final class ClientResponse: Sendable {
    /// The status.
    public let status: HTTPResponse.Status
    /// The HTTP version the server answered with.
    public let version: HTTPVersion
    /// The header fields.
    public let headers: HTTPFields
    /// The URL that answered (after redirects), without its fragment.
    public let url: String
    /// The fragment of the URL requested, kept for the caller; never sent.
    public let fragment: String?
    /// The method of the request that got this response.
    public let method: HTTPRequest.Method
    /// The redirect responses followed to get here, oldest first.
    public let history: [ClientResponse]
    /// The request this response answers.
    public let requestInfo: RequestInfo

    let body: ResponseBodyStream
    private let target: ClientURL
    private let decodes: Bool
    private let trace: RequestTrace?
    private let state = Mutex(BodyState.unread)

    private enum BodyState {
        case unread
        case streaming
        case read(ByteBuffer)
    }

    init(
        head: HTTPResponseHead,
        body: ResponseBodyStream,
        url: ClientURL,
        request: RequestInfo,
        history: [ClientResponse],
        autoDecompress: Bool,
        trace: RequestTrace?
    ) {
        self.trace = trace
        self.status = head.response.status
        self.version = head.version
        self.headers = head.response.headerFields
        self.url = url.string
        self.target = url
        self.fragment = url.fragment
        self.method = request.method
        self.requestInfo = request
        self.history = history
        self.body = body
        self.decodes = autoDecompress && head.response.headerFields[.contentEncoding] != nil
    }

    deinit {
        self.body.cancel()
    }

    /// The cookies this response sets (its `Set-Cookie` fields, read as the jar reads them).
    public var cookies: [ClientCookie] {
        let now = Date().timeIntervalSince1970
        return self.headers[values: .setCookie].compactMap { ClientCookie.parse($0, from: self.target, now: now, unsafe: true) }
    }

    /// The links of the `Link` fields (RFC 8288) by relation type, or by target for a link
    /// without `rel`, as aiohttp's `links`; the first link of each key wins. Targets are
    /// resolved against ``url``.
    public var links: [String: ResponseLink] {
        let all = ResponseLink.parse(self.headers[values: .link], base: self.target)
        var links: [String: ResponseLink] = [:]
        for link in all where links[link.rel ?? link.url] == nil { links[link.rel ?? link.url] = link }
        return links
    }

    /// `Content-Disposition` read as RFC 6266 says (the file name a download suggests in
    /// ``/AioMultipart/ContentDisposition/filename``); nil when absent or malformed.
    public var contentDisposition: ContentDisposition? {
        self.headers[.contentDisposition].flatMap { parseContentDisposition($0) }
    }

    /// The status's reason phrase.
    public var reason: String { self.status.reasonPhrase }
    /// `Content-Length`, when given.
    public var contentLength: Int? { self.headers[.contentLength].flatMap { Int($0) } }
    /// The media type of `Content-Type`, lowercased, without parameters (`application/json`);
    /// `application/octet-stream` when absent, as aiohttp.
    public var contentType: String {
        guard let value = self.headers[.contentType] else { return "application/octet-stream" }
        return value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
    }
    /// The `charset` parameter of `Content-Type`, lowercased.
    public var charset: String? {
        guard let value = self.headers[.contentType] else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(\.trimmingSpaces)
            if pair.count == 2, pair[0].lowercased() == "charset" {
                return String(pair[1].filter { $0 != "\"" }).lowercased()
            }
        }
        return nil
    }

    /// The body, piece by piece as it arrives, decoded from gzip or deflate unless the session
    /// says otherwise. One pass: a body already read or being read cannot be iterated again.
    public var content: Content { Content(response: self) }

    /// The whole body; later calls return it again.
    ///
    /// - Throws: ``ClientPayloadError`` when it cannot be read whole, a timeout, or
    ///   ``ClientPayloadError`` when ``content`` already consumed it.
    public func read() async throws -> ByteBuffer {
        try await self.read(maxBytes: .max)
    }

    /// The whole body, refusing one larger than `maxBytes` (after decoding).
    ///
    /// - Throws: ``ClientPayloadError`` past `maxBytes` (the connection is closed), and as
    ///   ``read()``.
    public func read(maxBytes: Int) async throws -> ByteBuffer {
        let started = try self.state.withLock { state -> ByteBuffer? in
            switch state {
            case .read(let buffer): return buffer
            case .streaming: throw ClientPayloadError("the body was already read through content, or its reading failed")
            case .unread:
                state = .streaming
                return nil
            }
        }
        if let started { return started }
        var iterator = Content.AsyncIterator(response: self)
        // A body that came in one piece is returned as it is; a longer one is gathered into a
        // buffer sized from `Content-Length` when the body is not decoded.
        var gathered: ByteBuffer?
        while var piece = try await iterator.next() {
            let size = (gathered?.readableBytes ?? 0) + piece.readableBytes
            guard size <= maxBytes else {
                self.body.cancel()
                throw ClientPayloadError("the body is larger than \(maxBytes) bytes")
            }
            if gathered == nil {
                gathered = piece
            } else {
                if !self.decodes, let length = self.contentLength, length > size {
                    gathered!.reserveCapacity(minimumWritableBytes: length - gathered!.readableBytes)
                }
                gathered!.writeBuffer(&piece)
            }
        }
        let whole = gathered ?? ByteBuffer()
        self.state.withLock { $0 = .read(whole) }
        return whole
    }

    /// The body as text, decoded with the `charset` of `Content-Type` (UTF-8 when absent;
    /// ISO-8859-1 and US-ASCII are known too), malformed bytes replaced.
    ///
    /// - Throws: as ``read()``, and ``ClientPayloadError`` for a charset it cannot decode.
    public func text() async throws -> String {
        let buffer = try await self.read()
        switch self.charset ?? "utf-8" {
        case "utf-8", "utf8", "us-ascii", "ascii":
            return String(buffer: buffer)
        case "iso-8859-1", "latin1", "latin-1", "l1":
            return String(String.UnicodeScalarView(buffer.readableBytesView.map { Unicode.Scalar($0) }))
        case let other:
            throw ClientPayloadError("cannot decode the charset \(other)")
        }
    }

    /// The body decoded from JSON as `type`.
    ///
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - contentType: the media type required: `application/json` (the default)
    ///     accepts any JSON type, as aiohttp; nil accepts any type.
    ///   - decoder: the decoder, for its strategies.
    /// - Throws: ``ContentTypeError`` for another media type, `DecodingError`, and as
    ///   ``read()``.
    public func json<Value: Decodable>(as type: Value.Type, contentType: String? = "application/json", decoder: JSONDecoder = JSONDecoder()) async throws -> Value {
        // The default accepts every JSON media type (`application/problem+json`…), as aiohttp.
        let expected = contentType.map { $0 == "application/json" ? self.contentType.contains("json") : self.contentType == $0.lowercased() }
        if expected == false {
            throw ContentTypeError(
                status: self.status,
                message: "Attempt to decode JSON with unexpected mimetype: \(self.contentType)",
                headers: self.headers
            )
        }
        let buffer = try await self.read()
        return try decoder.decode(type, from: Data(buffer.readableBytesView))
    }

    /// Throws ``ClientResponseStatusError`` for a 4xx or 5xx status.
    public func raiseForStatus() throws {
        guard self.status.code >= 400 else { return }
        throw ClientResponseStatusError(status: self.status, headers: self.headers, url: self.url, method: self.method)
    }

    /// Lets the connection go: a small rest of the body (up to 64 KiB) is read so that the
    /// connection can be reused, a larger one closes it.
    public func release() async {
        let unread = self.state.withLock { state -> Bool in
            guard case .unread = state else { return false }
            state = .streaming
            return true
        }
        guard unread else { return }
        var drained = 0
        do {
            while let piece = try await self.body.next() {
                drained += piece.readableBytes
                if drained > 1 << 16 { break }
            }
        } catch {}
        self.body.cancel()
    }

    /// The body as an async sequence of pieces.
    public struct Content: AsyncSequence, Sendable {
        /// A piece of the body.
        public typealias Element = ByteBuffer
        let response: ClientResponse

        /// An iterator over the body; the body can be iterated once (a second iterator throws
        /// ``ClientPayloadError``).
        public func makeAsyncIterator() -> AsyncIterator {
            let first = self.response.state.withLock { state -> Bool in
                guard case .unread = state else { return false }
                state = .streaming
                return true
            }
            var iterator = AsyncIterator(response: self.response)
            if !first { iterator.refused = true }
            return iterator
        }

        /// Reads the pieces in order.
        public struct AsyncIterator: AsyncIteratorProtocol {
            // Holds the response: dropping it closes the connection mid-body.
            let response: ClientResponse
            private var decoder: ContentDecoder?
            private var started = false
            private var done = false
            /// Made after the body was read or while another iterator reads it.
            var refused = false

            init(response: ClientResponse) {
                self.response = response
            }

            /// The next piece, or nil at the end of a whole body.
            public mutating func next() async throws -> ByteBuffer? {
                if self.refused { throw ClientPayloadError("the body was already read, or is being read elsewhere") }
                if !self.started {
                    self.started = true
                    if self.response.decodes, let coding = self.response.headers[.contentEncoding] {
                        self.decoder = ContentDecoder(coding: coding.trimmingSpaces, limit: .max)
                    }
                }
                guard let piece = try await self.nextPiece() else { return nil }
                if let trace = self.response.trace {
                    await trace.send({ $0.onResponseChunkReceived }, TraceChunkParams(method: self.response.method, url: self.response.url, chunk: piece))
                }
                return piece
            }

            /// The next piece, decoded.
            private mutating func nextPiece() async throws -> ByteBuffer? {
                while !self.done {
                    guard let piece = try await self.response.body.next() else {
                        self.done = true
                        do {
                            try self.decoder?.finish()
                        } catch {
                            throw ClientPayloadError("the compressed body ended early", underlying: error)
                        }
                        return nil
                    }
                    guard let decoder = self.decoder else { return piece }
                    let decoded: ByteBuffer
                    do {
                        decoded = try decoder.decode(piece)
                    } catch {
                        self.response.body.cancel()
                        throw ClientPayloadError("the compressed body is corrupt", underlying: error)
                    }
                    if decoded.readableBytes > 0 { return decoded }
                }
                return nil
            }
        }
    }
}
