import AioWebSocket
import HTTPTypes

extension ClientSession {
    /// Opens a WebSocket to `url` over this session's settings, as aiohttp's `ws_connect`: its
    /// base URL, default fields, cookies (sent, and those of the answer kept), credentials in
    /// the URL, proxies, TLS settings (pins included) and connection limit. Runs `body` with it
    /// and closes it (1000) when `body` returns; closing the session closes it too.
    ///
    /// ```swift
    /// try await session.wsConnect("/chat", protocols: ["chat.v1"]) { ws in
    ///     try await ws.send(text: "hello")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - url: `ws://`, `wss://`, their `http(s)://` forms, or a reference relative to the
    ///     session's base URL.
    ///   - protocols: subprotocols offered, in order of preference.
    ///   - headers: this handshake's fields, over the session's.
    ///   - compress: whether permessage-deflate is offered.
    ///   - configuration: the WebSocket's limits, timeouts and heartbeat.
    ///   - proxy: this connection's proxy instead of the session's (a tunnel for `wss://`).
    ///   - proxyAuth: Basic credentials for `proxy`.
    ///   - timeout: the connect timeouts, and `total` for the server's answer to the handshake.
    ///   - body: what to do with the open WebSocket; its result is returned.
    /// - Throws: ``InvalidURL``, a ``ClientConnectionError``, a ``ClientTimeoutError``,
    ///   ``WSServerHandshakeError`` when the server refuses or botches the handshake, and what
    ///   `body` throws.
    public func wsConnect<Result: Sendable>(
        _ url: String,
        protocols: [String] = [],
        headers: HTTPFields = [:],
        compress: Bool = true,
        configuration: WebSocketConfiguration = WebSocketConfiguration(),
        proxy: String? = nil,
        proxyAuth: BasicAuth? = nil,
        timeout: ClientTimeout? = nil,
        _ body: (WebSocket) async throws -> Result
    ) async throws -> Result {
        let timeout = timeout ?? self.timeout
        let target = try ClientURL(Self.httpForm(of: url), relativeTo: self.base)
        let route = try proxy.map { try ClientProxy($0, auth: proxyAuth) } ?? self.proxy
            ?? (self.trustEnv ? ClientProxy.fromEnvironment(for: target) : nil)
        var fields = self.fields(merging: headers)
        self.addCookies(to: &fields, for: target)
        if fields[.authorization] == nil, let user = target.user {
            fields[.authorization] = try BasicAuth(login: user, password: target.password ?? "").headerValue
        }
        let viaProxy = route != nil && !target.isSecure
        if viaProxy, let authorization = route?.authorization { fields[.proxyAuthorization] = authorization }
        // A connection of its own, which holds a slot of the pool until it closes.
        let (connection, _) = try await self.pool.acquire(
            PoolKey(target, proxy: route), fresh: true, timeout: timeout.connect, sockConnect: timeout.sockConnect, trace: nil
        )
        let channel = try await self.pool.detach(connection)
        return try await WebSocketClient.run(
            on: channel,
            target: viaProxy ? target.string : target.target,
            authority: target.authority,
            fields: fields,
            protocols: protocols,
            compress: compress,
            configuration: configuration,
            handshakeTimeout: timeout.total,
            url: target.string,
            onAnswer: { answer in
                let setCookie = answer.response.headerFields[values: .setCookie]
                if !setCookie.isEmpty { self.storeCookies(setCookie, from: target) }
            },
            body
        )
    }

    /// `url` with `ws`/`wss` replaced by `http`/`https`, the schemes the handshake is sent with.
    private static func httpForm(of url: String) -> String {
        let lowered = url.prefix(6).lowercased()
        if lowered.hasPrefix("ws://") { return "http://" + url.dropFirst(5) }
        if lowered.hasPrefix("wss://") { return "https://" + url.dropFirst(6) }
        return url
    }
}
