import AioWire
import Crypto
import HTTPTypes
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// One HTTP/1.1 connection of the pool: a channel with an ``HTTPClientHandler``, one exchange
/// at a time.
final class ClientConnection: Sendable {
    let key: PoolKey
    let channel: any Channel
    private let handler: NIOLoopBound<HTTPClientHandler>

    private init(key: PoolKey, channel: any Channel, handler: NIOLoopBound<HTTPClientHandler>) {
        self.key = key
        self.channel = channel
        self.handler = handler
    }

    /// Opens a connection for `key` within `timeout` seconds: the socket (to the proxy when
    /// the key has one), TLS to the proxy when it is `https://`, the `CONNECT` tunnel for an
    /// `https://` target behind a proxy, then TLS to the target (and the pin check).
    /// `onIdle` is called on its event loop each time the connection can take another request
    /// (true) and once when it is gone (false).
    static func connect(
        _ key: PoolKey,
        connector: ClientConnector,
        tls sslContext: NIOSSLContext?,
        proxyTLS: NIOSSLContext?,
        parser: HTTPParserConfiguration,
        timeout: Double?,
        dns: DNSCache,
        trace: RequestTrace?,
        onIdle: @escaping @Sendable (ClientConnection, Bool) -> Void
    ) async throws -> ClientConnection {
        let eventLoop = connector.eventLoopGroup.next()
        let started = NIODeadline.now()
        /// What is left of the connect's time budget.
        func left() -> Double? { timeout.map { max(0, $0 - Double((NIODeadline.now() - started).nanoseconds) / 1e9) } }
        var bootstrap = ClientBootstrap(group: eventLoop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(HTTPClientHandler(configuration: parser))
            }
        }
        if let address = connector.localAddress { bootstrap = bootstrap.bind(to: address) }
        let (firstHost, firstPort) = key.proxy.map { ($0.url.host, $0.url.port) } ?? (key.host, key.port)
        let channel: any Channel
        do {
            if let path = connector.unixSocketPath {
                if let left = left() { bootstrap = bootstrap.connectTimeout(.seconds(clamping: left)) }
                do {
                    channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
                } catch ChannelError.connectTimeout {
                    throw ConnectionTimeoutError(host: key.host, port: key.port, seconds: timeout ?? 0)
                } catch {
                    throw UnixClientConnectorError(host: path, port: 0, underlying: error)
                }
            } else {
                let host = connector.address(for: firstHost, port: firstPort)
                if !ClientURL.isAddress(host) {
                    // Resolved (or found in the cache) here, raced by NIO's Happy Eyeballs.
                    let addresses = try await dns.addresses(host: host, port: firstPort, trace: trace)
                    bootstrap = bootstrap.resolver(ResolvedAddresses(addresses: addresses, eventLoop: eventLoop))
                }
                if let left = left() {
                    guard left > 0 else { throw ConnectionTimeoutError(host: key.host, port: key.port, seconds: timeout ?? 0) }
                    bootstrap = bootstrap.connectTimeout(.seconds(clamping: left))
                }
                // SwiftNIO's ClientBootstrap sets TCP_NODELAY.
                channel = try await bootstrap.connect(host: host, port: firstPort).get()
            }
        } catch let error as any ClientError {
            throw error
        } catch {
            throw Self.connectFailure(error, key: key, timeout: timeout)
        }
        let expired = Mutex(false)
        do {
            // Every step shares the connect's time budget; a cancelled task stops them.
            let timer = left().map { left in
                channel.eventLoop.scheduleTask(in: .seconds(clamping: left)) {
                    expired.withLock { $0 = true }
                    channel.close(promise: nil)
                }
            }
            defer { timer?.cancel() }
            try await withTaskCancellationHandler {
                if let proxy = key.proxy, proxy.url.isSecure {
                    guard let proxyTLS else { throw ClientConnectorSSLError(host: proxy.url.host, port: proxy.url.port, underlying: nil) }
                    _ = try await Self.startTLS(on: channel, context: proxyTLS, serverName: proxy.url.host)
                }
                if let proxy = key.proxy, key.isSecure {
                    // Behind a tunnel NIOSSL would check an address against the proxy's: only a
                    // name (or a pin) can be verified there.
                    if key.isIPAddress, connector.serverHostname == nil, connector.pinnedFingerprint == nil, connector.tls.certificateVerification != .none {
                        throw ClientConnectorSSLError(
                            host: key.host, port: key.port,
                            underlying: UnverifiableThroughTunnel(description: "an IP address cannot be verified through a proxy tunnel; use its name, or pin its certificate")
                        )
                    }
                    try await Self.openTunnel(on: channel, to: key, proxy: proxy)
                }
                if key.isSecure, let sslContext {
                    let tls = try await Self.startTLS(on: channel, context: sslContext, serverName: connector.serverHostname ?? key.host)
                    if let pin = connector.pinnedFingerprint {
                        // The origin's handler, not a proxy's before it.
                        let certificate = try await channel.eventLoop.submit { try tls.value.peerCertificate?.toDERBytes() }.get()
                        let got = certificate.map { Array(SHA256.hash(data: $0)) } ?? []
                        guard got == pin else { throw FingerprintMismatch(expected: pin, got: got, host: key.host, port: key.port) }
                    }
                }
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            channel.close(promise: nil)
            if Task.isCancelled { throw CancellationError() }
            if expired.withLock({ $0 }) { throw ConnectionTimeoutError(host: key.host, port: key.port, seconds: timeout ?? 0) }
            throw Self.connectFailure(error, key: key, timeout: timeout)
        }
        let connection = try await channel.eventLoop.submit {
            // Closed already (the connect budget ran out as the last step ended, or the peer
            // left): the pool would never hear of it.
            guard channel.isActive else {
                if expired.withLock({ $0 }) { throw ConnectionTimeoutError(host: key.host, port: key.port, seconds: timeout ?? 0) }
                throw ClientConnectorSocketError(host: key.host, port: key.port, underlying: ChannelError.eof)
            }
            let handler = try channel.pipeline.syncOperations.handler(type: HTTPClientHandler.self)
            let connection = ClientConnection(key: key, channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            // A cycle the handler breaks when the channel closes.
            handler.onIdle = { reusable in onIdle(connection, reusable) }
            return connection
        }.get()
        return connection
    }

    /// Adds TLS in front of the HTTP handler (behind a proxy's TLS, if any), waits for the
    /// handshake, and returns the TLS handler.
    private static func startTLS(on channel: any Channel, context: NIOSSLContext, serverName: String) async throws -> NIOLoopBound<NIOSSLClientHandler> {
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        let added = channel.eventLoop.submit {
            let http = try channel.pipeline.syncOperations.handler(type: HTTPClientHandler.self)
            let tls = try NIOSSLClientHandler(context: context, serverHostname: ClientURL.isAddress(serverName) ? nil : serverName)
            try channel.pipeline.syncOperations.addHandlers([tls, TLSHandshakeWatcher(handshake)], position: .before(http))
            return NIOLoopBound(tls, eventLoop: channel.eventLoop)
        }
        let tls: NIOLoopBound<NIOSSLClientHandler>
        do {
            tls = try await added.get()
        } catch {
            handshake.fail(error)
            throw error
        }
        try await handshake.futureResult.get()
        return tls
    }

    /// Asks the proxy for a tunnel to `key`'s host and port with `CONNECT`.
    private static func openTunnel(on channel: any Channel, to key: PoolKey, proxy: ClientProxy) async throws {
        let opened = channel.eventLoop.makePromise(of: Void.self)
        let authority = key.host.contains(":") ? "[\(key.host)]:\(key.port)" : "\(key.host):\(key.port)"
        channel.eventLoop.execute {
            do {
                let http = try channel.pipeline.syncOperations.handler(type: HTTPClientHandler.self)
                let tunnel = ProxyTunnelHandler(authority: authority, authorization: proxy.authorization, opened: opened)
                try channel.pipeline.syncOperations.addHandler(tunnel, position: .before(http))
            } catch {
                opened.fail(error)
            }
        }
        do {
            try await opened.futureResult.get()
        } catch let error as HTTPProxyError {
            throw error
        } catch {
            throw ClientProxyConnectionError(host: proxy.url.host, port: proxy.url.port, underlying: error)
        }
    }

    /// The caller's error for a failed connect.
    private static func connectFailure(_ error: any Error, key: PoolKey, timeout: Double?) -> any Error {
        if let proxy = key.proxy, error is NIOConnectionError || error is IOError {
            return ClientProxyConnectionError(host: proxy.url.host, port: proxy.url.port, underlying: error)
        }
        switch error {
        case let error as any ClientError:
            // Already the caller's (a pin mismatch, a refused tunnel, a proxy that failed).
            return error
        case ChannelError.connectTimeout:
            return ConnectionTimeoutError(host: key.host, port: key.port, seconds: timeout ?? 0)
        case let error as NIOConnectionError where error.connectionErrors.isEmpty:
            return ClientConnectorDNSError(host: key.host, port: key.port, underlying: error.dnsAError ?? error.dnsAAAAError ?? error)
        case let error as NIOConnectionError:
            return ClientConnectorSocketError(host: key.host, port: key.port, underlying: error.connectionErrors.first?.error ?? error)
        case let error as NIOSSLError:
            if case .handshakeFailed(let reason) = error, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
                return ClientConnectorCertificateError(host: key.host, port: key.port, underlying: error)
            }
            return ClientConnectorSSLError(host: key.host, port: key.port, underlying: error)
        case let error as NIOSSLExtraError:
            return ClientConnectorCertificateError(host: key.host, port: key.port, underlying: error)
        default:
            return ClientConnectorSocketError(host: key.host, port: key.port, underlying: error)
        }
    }

    /// Takes the connection out of HTTP's hands for a protocol switch (a WebSocket): the
    /// handler leaves the pipeline, and the bytes go to the returned channel from now on.
    ///
    /// - Throws: ``ClientConnectorSocketError`` when the connection closed already.
    func detach() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let handler = self.handler
        let channel = self.channel
        let key = self.key
        return try await channel.eventLoop.submit {
            guard channel.isActive else { throw ClientConnectorSocketError(host: key.host, port: key.port, underlying: ChannelError.eof) }
            handler.value.onIdle = nil
            _ = channel.pipeline.syncOperations.removeHandler(handler.value)
            return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }.get()
    }

    /// Sends a request (`head`, then `body`) and waits for its response's head. Cancelling the
    /// task closes the connection.
    func execute(
        head: ByteBuffer,
        body: ClientRequestBody?,
        chunked: Bool,
        exchange: Exchange,
        trace: RequestTrace?
    ) async throws -> ResponseStart {
        let handler = self.handler
        let channel = self.channel
        return try await withTaskCancellationHandler {
            if let body, let decision = exchange.continueDecision {
                // `Expect: 100-continue`: the head alone, then the body once the server agrees.
                channel.eventLoop.execute { handler.value.start(exchange, head: head, body: nil, streamed: true) }
                if try await decision.futureResult.get() {
                    try await self.stream(body, chunked: chunked, exchange: exchange, trace: trace)
                } else {
                    channel.eventLoop.execute { handler.value.requestWithheld(exchange) }
                }
            } else if body == nil || body?.buffer != nil {
                let whole = body?.buffer
                channel.eventLoop.execute { handler.value.start(exchange, head: head, body: whole, streamed: false) }
                if let trace, let whole {
                    await trace.send({ $0.onRequestChunkSent }, TraceChunkParams(method: exchange.method, url: exchange.url, chunk: whole))
                }
            } else if let body {
                channel.eventLoop.execute { handler.value.start(exchange, head: head, body: nil, streamed: true) }
                try await self.stream(body, chunked: chunked, exchange: exchange, trace: trace)
            }
            return try await exchange.promise.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// Writes a streamed body, chunked when its length is unknown.
    private func stream(_ body: ClientRequestBody, chunked: Bool, exchange: Exchange, trace: RequestTrace?) async throws {
        let handler = self.handler
        let eventLoop = self.channel.eventLoop
        /// The connection failed under the body: the exchange's own error says why.
        struct WriteFailed: Error { let underlying: any Error }
        do {
            try await body.write { piece in
                guard piece.readableBytes > 0 else { return }
                var framed = piece
                if chunked {
                    framed = ByteBuffer()
                    ChunkedEncoder.writeChunk(piece, into: &framed)
                }
                do {
                    try await self.channel.writeAndFlush(framed)
                } catch {
                    throw WriteFailed(underlying: error)
                }
                await trace?.send({ $0.onRequestChunkSent }, TraceChunkParams(method: exchange.method, url: exchange.url, chunk: piece))
            }
            if chunked {
                var last = ByteBuffer()
                try ChunkedEncoder.writeLastChunk(into: &last)
                do {
                    try await self.channel.writeAndFlush(last)
                } catch {
                    throw WriteFailed(underlying: error)
                }
            }
            eventLoop.execute { handler.value.requestFinished(exchange) }
        } catch let failure as WriteFailed {
            // The server may have answered already (a 413 before the whole upload): that answer,
            // or the connection's error, comes through the exchange.
            eventLoop.execute { handler.value.requestFailed(exchange, failure.underlying) }
        } catch {
            // The body's own producer failed: the caller gets its error as it is.
            eventLoop.execute { handler.value.requestFailed(exchange, error) }
            throw error
        }
    }

    /// Closes the connection.
    func close() {
        self.channel.close(promise: nil)
    }

    /// Closes the connection from this side: a request still using it fails with `reason`.
    func close(because reason: any ClientError) {
        let handler = self.handler
        let channel = self.channel
        channel.eventLoop.execute {
            handler.value.noteClosing(because: reason)
            // The channel itself: a connection detached for a WebSocket has no handler left.
            channel.close(promise: nil)
        }
    }
}

/// A TLS peer that cannot be verified on this route.
struct UnverifiableThroughTunnel: Error, CustomStringConvertible {
    let description: String
}

/// Completes `handshake` when TLS is established, or fails it with the handshake's error.
final class TLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var handshake: EventLoopPromise<Void>?

    init(_ handshake: EventLoopPromise<Void>) {
        self.handshake = handshake
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            self.handshake?.succeed(())
            self.handshake = nil
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.handshake?.fail(error)
        self.handshake = nil
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.handshake?.fail(ChannelError.eof)
        self.handshake = nil
        context.fireChannelInactive()
    }
}

