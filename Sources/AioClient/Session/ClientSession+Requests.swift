import HTTPTypes

extension ClientSession {
    /// A GET request; see ``request(_:_:params:headers:body:allowRedirects:maxRedirects:timeout:middlewares:proxy:proxyAuth:compress:expect100:raiseForStatus:traceRequestContext:)``.
    public func get(
        _ url: String,
        params: [(String, String)] = [],
        headers: HTTPFields = [:],
        allowRedirects: Bool = true,
        maxRedirects: Int? = nil,
        timeout: ClientTimeout? = nil
    ) async throws -> ClientResponse {
        try await self.request(.get, url, params: params, headers: headers, allowRedirects: allowRedirects, maxRedirects: maxRedirects, timeout: timeout)
    }

    /// A HEAD request (redirects not followed unless asked, as aiohttp).
    public func head(_ url: String, params: [(String, String)] = [], headers: HTTPFields = [:], allowRedirects: Bool = false, timeout: ClientTimeout? = nil) async throws -> ClientResponse {
        try await self.request(.head, url, params: params, headers: headers, allowRedirects: allowRedirects, timeout: timeout)
    }

    /// An OPTIONS request.
    public func options(_ url: String, params: [(String, String)] = [], headers: HTTPFields = [:], allowRedirects: Bool = true, timeout: ClientTimeout? = nil) async throws -> ClientResponse {
        try await self.request(.options, url, params: params, headers: headers, allowRedirects: allowRedirects, timeout: timeout)
    }

    /// A POST request with `body`.
    public func post(_ url: String, params: [(String, String)] = [], headers: HTTPFields = [:], body: ClientRequestBody? = nil, timeout: ClientTimeout? = nil) async throws -> ClientResponse {
        try await self.request(.post, url, params: params, headers: headers, body: body, timeout: timeout)
    }

    /// A PUT request with `body`.
    public func put(_ url: String, params: [(String, String)] = [], headers: HTTPFields = [:], body: ClientRequestBody? = nil, timeout: ClientTimeout? = nil) async throws -> ClientResponse {
        try await self.request(.put, url, params: params, headers: headers, body: body, timeout: timeout)
    }

    /// A PATCH request with `body`.
    public func patch(_ url: String, params: [(String, String)] = [], headers: HTTPFields = [:], body: ClientRequestBody? = nil, timeout: ClientTimeout? = nil) async throws -> ClientResponse {
        try await self.request(.patch, url, params: params, headers: headers, body: body, timeout: timeout)
    }

    /// A DELETE request.
    public func delete(_ url: String, params: [(String, String)] = [], headers: HTTPFields = [:], body: ClientRequestBody? = nil, timeout: ClientTimeout? = nil) async throws -> ClientResponse {
        try await self.request(.delete, url, params: params, headers: headers, body: body, timeout: timeout)
    }
}

/// Runs `body` with a new session and closes it afterwards, however `body` ends.
@discardableResult
public func withClientSession<Result: Sendable>(
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
    _ body: (ClientSession) async throws -> Result
) async throws -> Result {
    let session = try ClientSession(
        baseURL: baseURL,
        headers: headers,
        timeout: timeout,
        connector: connector,
        cookieJar: cookieJar,
        middlewares: middlewares,
        traceConfigs: traceConfigs,
        proxy: proxy,
        proxyAuth: proxyAuth,
        trustEnv: trustEnv,
        raiseForStatus: raiseForStatus,
        autoDecompress: autoDecompress,
        maxRedirects: maxRedirects
    )
    do {
        let result = try await body(session)
        await session.close()
        return result
    } catch {
        await session.close()
        throw error
    }
}

extension HTTPRequest.Method {
    /// Whether sending the request twice has the effect of sending it once (RFC 9110 §9.2.2).
    var isIdempotent: Bool {
        switch self {
        case .get, .head, .options, .trace, .put, .delete: true
        default: false
        }
    }
}
