import AioServer
import AioWebSocket
import AioWire
import HTTPTypes
import NIOCore

/// The server side of a WebSocket, as aiohttp's `web.WebSocketResponse`: checks the opening
/// handshake of a request and answers it with the `101` whose connection runs a handler.
///
/// ```swift
/// router.get("/ws") { request in
///     try WebSocketResponse().upgrade(request) { ws in
///         for try await message in ws {
///             if let text = message.text { try await ws.send(text: text) }
///         }
///     }
/// }
/// ```
///
/// A bad handshake is an ``HTTPException``: 405 for a method other than GET, 400 for missing or
/// wrong `Upgrade`, `Connection` or `Sec-WebSocket-Key` fields, 426 with `Upgrade: websocket` and
/// `Sec-WebSocket-Version: 13` for a missing or other version, 403 when the origin check refuses.
public struct WebSocketResponse: Sendable {
    /// The subprotocols this endpoint speaks, in order of preference.
    public var protocols: [String]
    /// Limits and automatic behaviours of the connection.
    public var configuration: WebSocketConfiguration
    /// Decides whether a request's `Origin` (nil when absent) may connect; nil accepts all.
    public var checkOrigin: (@Sendable (String?) -> Bool)?
    /// Whether permessage-deflate is accepted when a client offers it, as aiohttp's `compress`.
    public var compress: Bool

    /// An endpoint speaking `protocols` with `configuration`.
    public init(
        protocols: [String] = [],
        configuration: WebSocketConfiguration = WebSocketConfiguration(),
        compress: Bool = true,
        checkOrigin: (@Sendable (String?) -> Bool)? = nil
    ) {
        self.protocols = protocols
        self.configuration = configuration
        self.compress = compress
        self.checkOrigin = checkOrigin
    }

    /// The `101 Switching Protocols` answer to `request`, whose connection runs `handler`; the
    /// WebSocket is closed (1000) when the handler returns, and with 1011 when it throws.
    ///
    /// - Throws: the ``HTTPException`` of a bad handshake.
    public func upgrade(_ request: Request, handler: @escaping @Sendable (WebSocket) async throws -> Void) throws -> Response {
        let headers = request.headers
        guard request.method == .get else {
            throw HTTPMethodNotAllowed(method: request.method, allowedMethods: [.get])
        }
        guard request.version == .http1_1 else { throw HTTPBadRequest("WebSocket needs HTTP/1.1") }
        guard Self.tokens(headers, .upgrade).contains("websocket") else {
            throw HTTPBadRequest("No WebSocket Upgrade header")
        }
        guard Self.tokens(headers, .connection).contains("upgrade") else {
            throw HTTPBadRequest("No Connection: upgrade header")
        }
        guard headers[.secWebSocketVersion] == "13" else {
            throw HTTPUpgradeRequired(text: "Unsupported WebSocket version", headers: Self.upgradeRequiredFields)
        }
        guard let key = headers[.secWebSocketKey], WebSocketHandshake.isValidKey(key) else {
            throw HTTPBadRequest("Missing or invalid Sec-WebSocket-Key")
        }
        if let checkOrigin, !checkOrigin(headers[.origin]) {
            throw HTTPForbidden(text: "Origin not allowed")
        }
        var response: HTTPFields = [
            .upgrade: "websocket",
            .connection: "Upgrade",
            .secWebSocketAccept: WebSocketHandshake.acceptValue(forKey: key),
        ]
        let offered = headers[values: .secWebSocketProtocol].flatMap { $0.split(separator: ",") }.map(\.trimmingSpaces)
        if let chosen = offered.first(where: self.protocols.contains) {
            response[.secWebSocketProtocol] = chosen
        }
        var deflate: PerMessageDeflate?
        if self.compress, let (parameters, answer) = PerMessageDeflate.accept(offers: headers[values: .secWebSocketExtensions]) {
            deflate = parameters
            response[.secWebSocketExtensions] = answer
        }
        let configuration = self.configuration
        return Response(status: .switchingProtocols, headers: response, body: .switchProtocols { [deflate] connection in
            let transport = ServerTransport(connection: connection)
            let ws = if let deflate {
                try WebSocket(role: .server, inbound: connection.inbound, transport: transport, configuration: configuration, deflate: deflate)
            } else {
                WebSocket(role: .server, inbound: connection.inbound, transport: transport, configuration: configuration)
            }
            do {
                try await handler(ws)
            } catch {
                await ws.close(code: .internalError)
                throw error
            }
            await ws.close()
        })
    }

    /// The comma-separated, lower-cased tokens of every `name` field.
    /// The fields of a 426 answer: the protocol to switch to (RFC 9110 §15.5.22, with its
    /// connection option, §7.8) and the one version spoken (RFC 6455 §4.4).
    private static let upgradeRequiredFields: HTTPFields = [
        .upgrade: "websocket", .connection: "upgrade", .secWebSocketVersion: "13",
    ]

    private static func tokens(_ headers: HTTPFields, _ name: HTTPField.Name) -> [String] {
        headers[values: name].flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
    }
}

/// An upgraded server connection as a WebSocket's transport.
private struct ServerTransport: WebSocketTransport {
    let connection: UpgradedConnection

    func write(_ bytes: ByteBuffer) async throws {
        try await self.connection.write(bytes)
    }

    func close() async {
        await self.connection.close()
    }
}
