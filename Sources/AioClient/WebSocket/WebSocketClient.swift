#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioWebSocket
import AioWire
import HTTPTypes
import NIOCore
import NIOPosix
import NIOSSL

/// Connects to WebSocket servers, as aiohttp's `ClientSession.ws_connect`: the connection lives
/// for the closure it is given, like NIO's and Hummingbird's scoped clients.
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
    ///   - protocols: subprotocols offered, in order of preference.
    ///   - headers: extra header fields for the handshake request (`Origin`, authorization…).
    ///   - compress: whether permessage-deflate is offered.
    ///   - tls: the TLS configuration for `wss://`; the system's trust roots by default.
    /// - Throws: ``WSServerHandshakeError`` when the server refuses or botches the handshake,
    ///   connection errors from NIO, and what `body` throws.
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
        let target = try Target(url)
        let sslContext = try target.secure ? NIOSSLContext(configuration: tls ?? .makeClientConfiguration()) : nil
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: target.isIPAddress ? nil : target.host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let key = WebSocketHandshake.makeKey()
            var request = HTTPRequest(method: .get, scheme: nil, authority: target.authority, path: target.path)
            request.headerFields = headers
            request.headerFields[.upgrade] = "websocket"
            request.headerFields[.connection] = "Upgrade"
            request.headerFields[.secWebSocketKey] = key
            request.headerFields[.secWebSocketVersion] = "13"
            if !protocols.isEmpty { request.headerFields[.secWebSocketProtocol] = protocols.joined(separator: ", ") }
            let offer = PerMessageDeflate()
            if compress { request.headerFields[.secWebSocketExtensions] = offer.offer }
            var head = ByteBuffer()
            try head.writeRequestHead(request)
            try await outbound.write(head)

            let source = HandshakeSource(inbound.makeAsyncIterator())
            let response = try await source.readResponseHead()
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

/// Where a WebSocket URL points.
struct Target {
    let host: String
    let port: Int
    let secure: Bool
    let path: String
    let authority: String
    let isIPAddress: Bool

    init(_ url: String) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host, !host.isEmpty else {
            throw WSServerHandshakeError(status: .badRequest, message: "Invalid WebSocket URL: \(url)", headers: [:])
        }
        switch scheme {
        case "ws", "http": self.secure = false
        case "wss", "https": self.secure = true
        default: throw WSServerHandshakeError(status: .badRequest, message: "Not a WebSocket URL: \(url)", headers: [:])
        }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.host = bareHost
        self.port = parsed.port ?? (self.secure ? 443 : 80)
        let path = parsed.path.isEmpty ? "/" : parsed.path
        self.path = parsed.query.map { "\(path)?\($0)" } ?? path
        let hostForm = bareHost.contains(":") ? "[\(bareHost)]" : bareHost
        self.authority = parsed.port.map { "\(hostForm):\($0)" } ?? hostForm
        self.isIPAddress = bareHost.contains(":") || bareHost.allSatisfy { $0.isNumber || $0 == "." }
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
