import AioWire
import HTTPTypes
import NIOCore

/// Makes HTTP requests, as aiohttp's `ClientSession`: a pool of keep-alive connections shared
/// by every request of the session, default header fields, timeouts, redirects. `Sendable`:
/// share one session between many tasks, and close it when done (or use
/// ``withClientSession(baseURL:headers:timeout:connector:cookieJar:middlewares:traceConfigs:proxy:proxyAuth:trustEnv:raiseForStatus:autoDecompress:maxRedirects:_:)``).
///
/// ```swift
/// try await withClientSession(baseURL: "http://127.0.0.1:8080") { session in
///     let response = try await session.get("/json")
///     let value = try await response.json(as: [String: Int].self)
/// }
/// ```
public final class ClientSession: Sendable {
    /// The URL relative request URLs are resolved against (RFC 3986); an absolute one wins.
    public let baseURL: String?
    /// Header fields sent with every request (a request's own fields of the same name win).
    public let headers: HTTPFields
    /// The default timeouts.
    public let timeout: ClientTimeout
    /// What is checked on each final response before it is handed over (by default nothing;
    /// `true` throws ``ClientResponseStatusError`` for a 4xx or 5xx).
    public let raiseForStatus: StatusCheck
    /// Whether gzip and deflate bodies are decoded (and `Accept-Encoding` sent).
    public let autoDecompress: Bool
    /// The default limit on redirects followed.
    public let maxRedirects: Int
    /// Where cookies are kept between requests; nil keeps none (as a ``DummyCookieJar``).
    public let cookieJar: (any AbstractCookieJar)?
    /// The middlewares every request goes through, outermost first.
    public let middlewares: [ClientMiddleware]
    /// The hooks told of what each request does.
    public let traceConfigs: [TraceConfig]
    /// Whether `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` choose a proxy for requests that
    /// name none.
    public let trustEnv: Bool
    let proxy: ClientProxy?
    let base: ClientURL?
    let pool: ConnectionPool

    /// A session; nothing connects before the first request.
    ///
    /// - Parameters:
    ///   - baseURL: resolves relative request URLs.
    ///   - headers: sent with every request.
    ///   - timeout: aiohttp's defaults: 300 s in total, 30 s to connect a socket.
    ///   - connector: the pool's limits, TLS, host overrides and event loops.
    ///   - cookieJar: where cookies set by responses are kept and sent from (a ``CookieJar`` by
    ///     default; nil or ``DummyCookieJar`` to keep none).
    ///   - middlewares: run around every request, redirects and retries included.
    ///   - traceConfigs: hooks told of each request's steps (aiohttp's `trace_configs`).
    ///   - proxy: a forward proxy for every request (`http://` or `https://`, credentials in
    ///     its userinfo or `proxyAuth`).
    ///   - proxyAuth: Basic credentials for the proxy (`Proxy-Authorization`).
    ///   - trustEnv: take the proxy from `HTTP_PROXY`/`HTTPS_PROXY`, minus `NO_PROXY`.
    ///   - raiseForStatus: `true` throws for a 4xx or 5xx instead of returning the response;
    ///     ``StatusCheck/custom(_:)`` runs a check of the caller's.
    ///   - autoDecompress: decode gzip and deflate bodies.
    ///   - maxRedirects: the most redirects followed; one more is ``TooManyRedirects`` (10;
    ///     0 follows none, where aiohttp's 0 means no limit).
    ///   - maxLineSize: the longest status line and field line accepted (8190).
    ///   - maxFieldSize: the longest response head accepted, in bytes.
    ///   - maxHeaders: the most fields a response head may have (128).
    /// - Throws: ``InvalidURL`` for a `baseURL` that is not an absolute HTTP URL.
    public init(
        baseURL: String? = nil,
        headers: HTTPFields = [:],
        timeout: ClientTimeout = ClientTimeout(),
        connector: ClientConnector = ClientConnector(),
        cookieJar: (any AbstractCookieJar)? = CookieJar(),
        middlewares: [ClientMiddleware] = [],
        traceConfigs: [TraceConfig] = [],
        proxy: String? = nil,
        proxyAuth: BasicAuth? = nil,
        trustEnv: Bool = false,
        raiseForStatus: StatusCheck = .never,
        autoDecompress: Bool = true,
        maxRedirects: Int = 10,
        maxLineSize: Int = 8190,
        maxFieldSize: Int = 8190 * 8,
        maxHeaders: Int = 128
    ) throws {
        self.baseURL = baseURL
        self.base = try baseURL.map { try ClientURL($0) }
        self.headers = headers
        self.timeout = timeout
        self.raiseForStatus = raiseForStatus
        self.autoDecompress = autoDecompress
        self.maxRedirects = maxRedirects
        self.cookieJar = cookieJar
        self.middlewares = middlewares
        self.traceConfigs = traceConfigs
        self.proxy = try proxy.map { try ClientProxy($0, auth: proxyAuth) }
        self.trustEnv = trustEnv
        let parser = HTTPParserConfiguration(
            maxStartLineLength: maxLineSize,
            maxFieldLineLength: maxLineSize,
            maxHeadLength: maxFieldSize,
            maxFieldCount: maxHeaders
        )
        self.pool = ConnectionPool(connector: connector, parser: parser)
    }

    /// Forgets the resolved addresses of `host`, or of every host (aiohttp's
    /// `clear_dns_cache`): the next connection asks the resolver again.
    public func clearDNSCache(host: String? = nil) {
        self.pool.dns.clear(host: host)
    }

    /// Closes every connection; requests still running fail.
    public func close() async {
        await self.pool.close()
    }

    /// Sends a `method` request to `url` and returns the response once its head has arrived
    /// (after following redirects unless told not to).
    ///
    /// - Parameters:
    ///   - method: the request's method.
    ///   - url: an absolute URL, or a reference relative to the session's base URL.
    ///   - params: query parameters added to the URL's own, form-encoded.
    ///   - headers: this request's fields, over the session's.
    ///   - body: what to send.
    ///   - allowRedirects: follow 301, 302, 303, 307 and 308 answers.
    ///   - maxRedirects: this request's limit instead of the session's.
    ///   - timeout: this request's timeouts instead of the session's.
    ///   - middlewares: this request's middlewares instead of the session's.
    ///   - proxy: this request's proxy instead of the session's.
    ///   - proxyAuth: Basic credentials for `proxy`.
    ///   - compress: compress the body with this coding (and say so in `Content-Encoding`).
    ///   - expect100: send `Expect: 100-continue` and the body only once the server agrees
    ///     (or has not answered within ``ClientTimeout/expectContinue``); a final answer instead
    ///     keeps the body back.
    ///     An `Expect: 100-continue` field among `headers` does the same.
    ///   - raiseForStatus: this request's status check instead of the session's.
    ///   - traceRequestContext: handed to the trace hooks of this request (aiohttp's
    ///     `trace_request_ctx`).
    /// - Throws: a ``ClientError``: ``InvalidURL``, a ``ClientConnectionError``, a
    ///   ``ClientTimeoutError``, ``TooManyRedirects``, ``ClientResponseStatusError`` when the
    ///   session raises for status, ``ClientRequestError`` for `compress` with a
    ///   `Content-Encoding` of the caller's.
    public func request(
        _ method: HTTPRequest.Method,
        _ url: String,
        params: [(String, String)] = [],
        headers: HTTPFields = [:],
        body: ClientRequestBody? = nil,
        allowRedirects: Bool = true,
        maxRedirects: Int? = nil,
        timeout: ClientTimeout? = nil,
        middlewares: [ClientMiddleware]? = nil,
        proxy: String? = nil,
        proxyAuth: BasicAuth? = nil,
        compress: RequestCompression? = nil,
        expect100: Bool = false,
        raiseForStatus: StatusCheck? = nil,
        traceRequestContext: (any Sendable)? = nil
    ) async throws -> ClientResponse {
        let timeout = timeout ?? self.timeout
        let proxy = try proxy.map { try ClientProxy($0, auth: proxyAuth) } ?? self.proxy
        let deadline = timeout.total.map { (at: NIODeadline.now() + .seconds(clamping: $0), seconds: $0) }
        var target = try ClientURL(url, relativeTo: self.base, params: params)
        var method = method
        var body = body
        // The session's fields under the request's, merged once: a redirect to another origin
        // strips credentials from both.
        var fields = self.fields(merging: headers)
        if let compress, body != nil {
            guard fields[.contentEncoding] == nil else {
                throw ClientRequestError("compress cannot be used with a Content-Encoding of the caller's (\(fields[.contentEncoding]!))")
            }
            body = try body?.compressed(compress)
            fields[.contentEncoding] = compress.rawValue
        }
        if expect100, body != nil { fields[.expect] = "100-continue" }
        let check = raiseForStatus ?? self.raiseForStatus
        let trace = RequestTrace(self.traceConfigs, context: traceRequestContext)
        let started = self.pool.metrics != nil ? ContinuousClock.now : nil
        var history: [ClientResponse] = []
        let limit = maxRedirects ?? self.maxRedirects
        let firstOrigin = target.origin
        let send = ClientMiddleware.chain(middlewares ?? self.middlewares) { request in
            var fields = request.headers
            self.addCookies(to: &fields, for: request.target)
            let route = proxy ?? (self.trustEnv ? ClientProxy.fromEnvironment(for: request.target) : nil)
            let info = RequestInfo(
                url: request.target.string,
                realURL: request.target.fragment.map { "\(request.target.string)#\($0)" } ?? request.target.string,
                method: request.method,
                headers: fields
            )
            await trace?.send({ $0.onRequestStart }, TraceRequestParams(method: info.method, url: info.url, headers: info.headers))
            let response = try await self.send(
                info, request.target, body: request.body, proxy: route,
                timeout: timeout, deadline: deadline, history: request.history, trace: trace
            )
            let setCookie = response.headers[values: .setCookie]
            if !setCookie.isEmpty { self.storeCookies(setCookie, from: request.target) }
            return response
        }
        do {
            while true {
                let request = ClientRequest(
                    method: method, headers: fields, body: body,
                    isCrossOrigin: target.origin != firstOrigin, target: target, history: history
                )
                let response = try await send(request)
                guard allowRedirects, [301, 302, 303, 307, 308].contains(response.status.code),
                    let location = response.headers[.location]
                else {
                    await trace?.send({ $0.onRequestEnd }, TraceResponseParams(method: method, url: target.string, headers: fields, response: response))
                    if let started { self.pool.metrics?.recordRequest(method, status: response.status, duration: .now - started) }
                    try await check.run(response)
                    return response
                }
                await trace?.send({ $0.onRequestRedirect }, TraceResponseParams(method: method, url: target.string, headers: fields, response: response))
                await response.release()
                history.append(response)
                guard history.count <= limit else {
                    throw TooManyRedirects(
                        status: response.status,
                        headers: response.headers,
                        history: history.map { (url: $0.url, status: $0.status) }
                    )
                }
                let next = try target.redirect(to: location)
                let code = response.status.code
                if (code == 303 && method != .head) || ((code == 301 || code == 302) && method == .post) {
                    method = .get
                    body = nil
                    for name in [HTTPField.Name.contentLength, .contentType, .contentEncoding, .transferEncoding, .expect] { fields[name] = nil }
                } else if let current = body, !current.isReplayable {
                    throw ClientRequestError("The \(code) redirect to \(next) needs the body again, and a stream cannot be sent twice")
                }
                if next.origin != target.origin {
                    // Credentials the caller gave for one origin never go to another.
                    for name in [HTTPField.Name.authorization, .cookie, .proxyAuthorization] { fields[name] = nil }
                }
                target = next
            }
        } catch {
            await trace?.send({ $0.onRequestException }, TraceErrorParams(method: method, url: target.string, headers: fields, error: error))
            if let started { self.pool.metrics?.recordRequest(method, status: nil, duration: .now - started) }
            throw error
        }
    }

    /// The session's fields under `headers` (a name given there replaces the session's).
    func fields(merging headers: HTTPFields) -> HTTPFields {
        var fields = self.headers
        for name in Set(headers.map(\.name)) { fields[values: name] = headers[values: name] }
        return fields
    }

    /// Adds the jar's cookies for `url` to `fields`, after the caller's own `Cookie`.
    func addCookies(to fields: inout HTTPFields, for url: ClientURL) {
        guard let cookies = self.cookieHeader(for: url) else { return }
        fields[.cookie] = fields[.cookie].map { "\($0); \(cookies)" } ?? cookies
    }

    /// The jar's `Cookie` value for `url`.
    private func cookieHeader(for url: ClientURL) -> String? {
        guard let jar = self.cookieJar else { return nil }
        if let jar = jar as? CookieJar { return jar.cookieHeader(for: url) }
        return jar.cookieHeader(for: url.string)
    }

    /// Keeps the cookies a response from `url` set: a redirect's apply to the next hop.
    func storeCookies(_ values: [String], from url: ClientURL) {
        guard let jar = self.cookieJar else { return }
        if let jar = jar as? CookieJar { return jar.update(setCookie: values, from: url) }
        jar.update(setCookie: values, from: url.string)
    }

    /// One exchange, with one retry on a new connection when a reused one turns out closed
    /// before any of the response arrived and the request can be repeated.
    private func send(
        _ request: RequestInfo,
        _ url: ClientURL,
        body: ClientRequestBody?,
        proxy: ClientProxy?,
        timeout: ClientTimeout,
        deadline: (at: NIODeadline, seconds: Double)?,
        history: [ClientResponse],
        trace: RequestTrace?
    ) async throws -> ClientResponse {
        let key = PoolKey(url, proxy: proxy)
        let method = request.method
        let (head, chunked) = try self.head(method, url, fields: request.headers, body: body, proxy: proxy)
        let expectsContinue = body != nil && request.headers[.expect]?.lowercased() == "100-continue"
        var fresh = false
        while true {
            var connectTimeout = timeout.connect
            if let deadline {
                let left = Double((deadline.at - .now()).nanoseconds) / 1e9
                guard left > 0 else { throw TotalTimeoutError(url: url.string, seconds: deadline.seconds) }
                connectTimeout = min(connectTimeout ?? left, left)
            }
            let (connection, reused) = try await self.pool.acquire(key, fresh: fresh, timeout: connectTimeout, sockConnect: timeout.sockConnect, trace: trace)
            let exchange = Exchange(
                method: method,
                promise: connection.channel.eventLoop.makePromise(),
                host: url.host,
                url: url.string,
                readTimeout: timeout.sockRead,
                totalDeadline: deadline,
                highWatermark: self.pool.connector.readBufferSize
            )
            if expectsContinue {
                exchange.continueDecision = connection.channel.eventLoop.makePromise()
                exchange.continueWait = .seconds(clamping: timeout.expectContinue)
            }
            do {
                if let trace {
                    await trace.send({ $0.onRequestHeadersSent }, TraceRequestParams(method: method, url: request.url, headers: request.headers))
                }
                let start = try await connection.execute(head: head, body: body, chunked: chunked, exchange: exchange, trace: trace)
                return ClientResponse(
                    head: start.head,
                    body: start.body,
                    url: url,
                    request: request,
                    history: history,
                    autoDecompress: self.autoDecompress,
                    trace: trace
                )
            } catch let error as ServerDisconnectedError where reused && error.nothingReceived && !fresh
                && method.isIdempotent && body?.isReplayable != false
            {
                fresh = true
            }
        }
    }

    /// The request's head: `fields` (the session's and the request's), `Host`, the client's
    /// defaults, and the framing of `body`; whether the body goes chunked.
    private func head(
        _ method: HTTPRequest.Method,
        _ url: ClientURL,
        fields: HTTPFields,
        body: ClientRequestBody?,
        proxy: ClientProxy?
    ) throws -> (ByteBuffer, chunked: Bool) {
        // One pass over the caller's fields; the client's own are written after them, without
        // building a new `HTTPFields` (each assignment by name walks the fields again).
        var given = GivenFields()
        for index in fields.indices { given.note(fields[index].name) }
        var fields = fields
        if given.framing {
            fields[values: .contentLength] = []
            fields[values: .transferEncoding] = []
        }
        // Proxy credentials come from the proxy's settings, and go to the proxy only: never to
        // an origin (inside a tunnel, or past `NO_PROXY`).
        if given.proxyAuthorization { fields[values: .proxyAuthorization] = [] }
        var extra: [HTTPField] = []
        extra.reserveCapacity(6)
        if !given.userAgent { extra.append(Self.userAgent) }
        if !given.accept { extra.append(Self.accept) }
        if self.autoDecompress, !given.acceptEncoding { extra.append(Self.acceptEncoding) }
        if !given.authorization, let user = url.user {
            extra.append(HTTPField(name: .authorization, value: try BasicAuth(login: user, password: url.password ?? "").headerValue))
        }
        var chunked = false
        if let body {
            if !given.contentType, let type = body.contentType { extra.append(HTTPField(name: .contentType, value: type)) }
            if let length = body.length {
                extra.append(HTTPField(name: .contentLength, value: String(length)))
            } else {
                extra.append(Self.chunked)
                chunked = true
            }
        } else if method == .post || method == .put || method == .patch {
            extra.append(Self.emptyLength)
        }
        // Through a proxy without a tunnel, the target is the absolute URL (RFC 9112 §3.2.2) and
        // the proxy's credentials go with it.
        let viaProxy = proxy != nil && !url.isSecure
        if viaProxy, let authorization = proxy?.authorization { extra.append(HTTPField(name: .proxyAuthorization, value: authorization)) }
        var buffer = ByteBuffer()
        // The target and authority come from a parsed `ClientURL`: nothing in them ends a line.
        buffer.writeRequestHead(method: method, target: viaProxy ? url.string : url.target, authority: url.authority, fields: fields, extraFields: extra)
        return (buffer, chunked)
    }
}

extension ClientSession {
    private static let userAgent = HTTPField(name: .userAgent, value: "swift-aiohttp")
    private static let accept = HTTPField(name: .accept, value: "*/*")
    private static let acceptEncoding = HTTPField(name: .acceptEncoding, value: "gzip, deflate")
    private static let chunked = HTTPField(name: .transferEncoding, value: "chunked")
    private static let emptyLength = HTTPField(name: .contentLength, value: "0")

    /// Which of the fields the client adds the caller gave already.
    private struct GivenFields {
        var userAgent = false
        var accept = false
        var acceptEncoding = false
        var authorization = false
        var contentType = false
        /// `Content-Length` or `Transfer-Encoding`: the body's framing replaces them.
        var framing = false
        var proxyAuthorization = false

        mutating func note(_ name: HTTPField.Name) {
            switch name {
            case .userAgent: self.userAgent = true
            case .accept: self.accept = true
            case .acceptEncoding: self.acceptEncoding = true
            case .authorization: self.authorization = true
            case .contentType: self.contentType = true
            case .contentLength, .transferEncoding: self.framing = true
            case .proxyAuthorization: self.proxyAuthorization = true
            default: break
            }
        }
    }
}
