import AioWebSocket
import AioWire
import HTTPTypes
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Connects to WebSocket servers, as aiohttp's `ClientSession.ws_connect`: the connection lives
/// for the closure it is given, like NIO's and Hummingbird's scoped clients. This is the one-shot
/// form; ``ClientSession/wsConnect(_:protocols:headers:compress:configuration:proxy:proxyAuth:timeout:_:)``
/// connects with a session's cookies, proxies, TLS settings and limits.
///
/// ```swift
/// try await WebSocketClient.connect("ws://127.0.0.1:8080/ws") { ws in
///     try await ws.send(text: "hello")
///     let reply = try await ws.receive()
/// }
/// ```
public enum WebSocketClient {
    /// Opens a WebSocket to `url` (`ws://`, `wss://`, or their `http(s)://` forms), runs
    /// `body` with it, and closes it (1000) when `body` returns.
    ///
    /// - Parameters:
    ///   - url: the WebSocket's URL.
    ///   - protocols: subprotocols offered, in order of preference.
    ///   - headers: extra header fields for the handshake request (`Origin`, authorization…).
    ///   - compress: whether permessage-deflate is offered.
    ///   - configuration: the WebSocket's limits, timeouts and heartbeat.
    ///   - tls: the TLS configuration for `wss://`; the system's trust roots by default.
    ///   - eventLoopGroup: where the connection runs.
    ///   - body: what to do with the open WebSocket; its result is returned.
    /// - Throws: ``InvalidURL`` for a URL that is not a WebSocket one, a
    ///   ``ClientConnectionError``, ``WSServerHandshakeError`` when the server refuses or botches
    ///   the handshake, and what `body` throws.
    public static func connect<Result: Sendable>(
        _ url: String,
        protocols: [String] = [],
        headers: HTTPFields = [:],
        compress: Bool = true,
        configuration: WebSocketConfiguration = WebSocketConfiguration(),
        tls: TLSConfiguration? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (WebSocket) async throws -> Result
    ) async throws -> Result {
        let connector = ClientConnector(tls: tls ?? .makeClientConfiguration(), eventLoopGroup: eventLoopGroup)
        return try await withClientSession(connector: connector, cookieJar: nil) { session in
            try await session.wsConnect(url, protocols: protocols, headers: headers, compress: compress, configuration: configuration, body)
        }
    }

    /// Sends the opening handshake on `channel` (a connection just opened for it), checks the
    /// answer, and runs `body` with the WebSocket; the connection closes when `body` returns.
    ///
    /// - Parameters:
    ///   - target: the request target (origin form, or absolute through a forward proxy).
    ///   - handshakeTimeout: how long the server may take to answer the handshake.
    ///   - onAnswer: sees the server's answer before it is checked (cookies it sets).
    static func run<Result: Sendable>(
        on channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
        target: String,
        authority: String,
        fields: HTTPFields,
        protocols: [String],
        compress: Bool,
        configuration: WebSocketConfiguration,
        handshakeTimeout: Double?,
        url: String,
        onAnswer: (HTTPResponseHead) -> Void,
        _ body: (WebSocket) async throws -> Result
    ) async throws -> Result {
        try await channel.executeThenClose { inbound, outbound in
            let key = WebSocketHandshake.makeKey()
            var extra = [
                HTTPField(name: .upgrade, value: "websocket"),
                HTTPField(name: .connection, value: "Upgrade"),
                HTTPField(name: .secWebSocketKey, value: key),
                HTTPField(name: .secWebSocketVersion, value: "13"),
            ]
            if !protocols.isEmpty { extra.append(HTTPField(name: .secWebSocketProtocol, value: protocols.joined(separator: ", "))) }
            let offer = PerMessageDeflate()
            if compress { extra.append(HTTPField(name: .secWebSocketExtensions, value: offer.offer)) }
            var fields = fields
            for field in extra { fields[values: field.name] = [] }
            var head = ByteBuffer()
            head.writeRequestHead(method: .get, target: target, authority: authority, fields: fields, extraFields: extra)
            try await outbound.write(head)

            // A server that never answers the handshake ends it when the time is up.
            let expired = Mutex(false)
            let timer = handshakeTimeout.map { seconds in
                channel.channel.eventLoop.scheduleTask(in: .seconds(clamping: seconds)) {
                    expired.withLock { $0 = true }
                    channel.channel.close(promise: nil)
                }
            }
            let source = HandshakeSource(inbound.makeAsyncIterator())
            let response: HTTPResponseHead
            do {
                response = try await source.readResponseHead()
                timer?.cancel()
            } catch {
                timer?.cancel()
                if expired.withLock({ $0 }) { throw TotalTimeoutError(url: url, seconds: handshakeTimeout ?? 0) }
                throw error
            }
            onAnswer(response)
            let deflate = try Self.check(response, key: key, protocols: protocols, compress: compress)
            let transport = ClientTransport(outbound: outbound)
            let ws = if let deflate {
                try WebSocket(role: .client, inbound: source, transport: transport, configuration: configuration, deflate: deflate)
            } else {
                WebSocket(role: .client, inbound: source, transport: transport, configuration: configuration)
            }
            do {
                let result = try await body(ws)
                await ws.close()
                return result
            } catch {
                await ws.close(code: .goingAway)
                throw error
            }
        }
    }

    /// Checks the server's answer (RFC 6455 §4.1): 101, `Upgrade: websocket`, `Connection:
    /// upgrade`, the accept value of `key`, a subprotocol among those offered, and the
    /// permessage-deflate parameters it settled on.
    static func check(_ head: HTTPResponseHead, key: String, protocols: [String], compress: Bool) throws -> PerMessageDeflate? {
        let response = head.response
        let fields = response.headerFields
        func refuse(_ message: String) -> WSServerHandshakeError {
            WSServerHandshakeError(status: response.status, message: message, headers: fields)
        }
        guard response.status == .switchingProtocols else { throw refuse("Invalid response status") }
        guard fields[.upgrade]?.lowercased() == "websocket" else { throw refuse("Invalid upgrade header") }
        guard fields[values: .connection].contains(where: { $0.lowercased().contains("upgrade") }) else {
            throw refuse("Invalid connection header")
        }
        guard fields[.secWebSocketAccept] == WebSocketHandshake.acceptValue(forKey: key) else {
            throw refuse("Invalid challenge response")
        }
        if let chosen = fields[.secWebSocketProtocol], !protocols.contains(chosen) {
            throw refuse("Server chose a subprotocol that was not offered: \(chosen)")
        }
        let answer = fields[values: .secWebSocketExtensions]
        guard compress || answer.isEmpty else { throw refuse("Server sent extensions that were not offered") }
        do {
            return try PerMessageDeflate.accepted(response: answer)
        } catch {
            throw refuse("Invalid Sec-WebSocket-Extensions: \(answer.joined(separator: ", "))")
        }
    }
}

/// The bytes of the connection: first the handshake's answer, then, with what arrived right
/// behind it, the WebSocket's frames.
final class HandshakeSource: AsyncSequence, @unchecked Sendable {
    // Safety: the handshake reads first, then only the WebSocket's one receiving task.
    typealias Element = ByteBuffer

    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var leftover = ByteBuffer()

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    /// The answer's head; the bytes after it stay for the WebSocket.
    func readResponseHead() async throws -> HTTPResponseHead {
        var parser = HTTPResponseParser()
        var buffer = ByteBuffer()
        while true {
            if let event = try parser.decode(buffer: &buffer), case .head(let head) = event {
                self.leftover = buffer
                return head
            }
            guard var bytes = try await self.iterator.next() else {
                throw WSServerHandshakeError(status: .badGateway, message: "Connection closed during the handshake", headers: [:])
            }
            buffer.writeBuffer(&bytes)
        }
    }

    func next() async throws -> ByteBuffer? {
        if self.leftover.readableBytes > 0 {
            defer { self.leftover = ByteBuffer() }
            return self.leftover
        }
        return try await self.iterator.next()
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let source: HandshakeSource
        func next() async throws -> ByteBuffer? { try await self.source.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}

/// The connection's outbound side as a WebSocket's transport.
struct ClientTransport: WebSocketTransport {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    func write(_ bytes: ByteBuffer) async throws {
        try await self.outbound.write(bytes)
    }

    func close() async {
        // The server closes TCP first (RFC 6455 §7.1.1); the client stops writing.
        self.outbound.finish()
    }
}
