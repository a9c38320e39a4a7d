import AioWire
import Logging
import NIOCore
import NIOSSL

/// One accepted connection: its channel and the requests its protocol handler parsed.
struct HTTPServerConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTPServerHandler>
    let isSecure: Bool

    /// Builds the pipeline of an accepted connection: TLS when configured, then the protocol
    /// handler. Handlers run on the connection's event loop (`executor`) unless the configuration
    /// runs them on Swift's shared pool.
    static func setUp(
        _ channel: any Channel,
        configuration: ServerConfiguration,
        logger: Logger,
        observers: ServerObservers,
        responder: some HTTPResponder,
        executor: EventLoopTaskExecutor
    ) throws -> HTTPServerConnection {
        if let tls = configuration.tls {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
        }
        let info = ConnectionInfo(
            remoteAddress: channel.remoteAddress,
            localAddress: channel.localAddress,
            isSecure: configuration.tls != nil
        )
        let onLoop = configuration.runsHandlersOnEventLoop
        let handler = HTTPServerHandler(
            configuration: configuration,
            connectionInfo: info,
            logger: logger,
            observers: observers,
            immediateResponder: onLoop ? responder : nil,
            requestLoopExecutor: onLoop ? executor : nil
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        if let proxyProtocol = configuration.proxyProtocol {
            // First in line, before TLS: the header comes in clear ahead of everything.
            let socketPeer = channel.remoteAddress
            let proxyHandler = ProxyProtocolHandler(configuration: proxyProtocol) { header in
                handler.connectionInfo = ConnectionInfo(
                    remoteAddress: header.clientAddress ?? socketPeer,
                    localAddress: info.localAddress,
                    isSecure: info.isSecure,
                    proxyProtocol: header
                )
            }
            try channel.pipeline.syncOperations.addHandler(proxyHandler, position: .first)
        }
        return HTTPServerConnection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop), isSecure: info.isSecure)
    }

    /// The next request (or failure) the handler parsed, or nil once the connection has closed.
    /// On the connection's event loop, a queued item costs no suspension.
    private func nextItem() async -> ConnectionItem? {
        if self.handler.eventLoop.inEventLoop, let ready = self.handler.value.takeItem() {
            return ready
        }
        let handler = self.handler
        return await withUnsafeContinuation { continuation in
            Demand.onLoop(handler) { $0.waitForItem(continuation) }
        }
    }

    /// Answers the connection's requests in order until it closes.
    func run(responder: some HTTPResponder) async {
        while let item = await self.nextItem() {
            switch consume item {
            case .request(let request, let state):
                await self.answer(state) { writer in try await responder.respond(to: request, writer: writer) }
            case .rest(let rest, let state):
                await self.answer(state, rest)
            case .failure(let error, let state):
                let link = ConnectionLink(handler: self.handler, state: state, isSecure: self.isSecure)
                _ = try? await link.run { handler, state in handler.writeError(error, state: state) }
            }
        }
        // The loop ends when the connection closes (forced shutdown closes every connection).
        self.channel.close(promise: nil)
        // Returns only once the channel is gone, its close callbacks run: some hop to other event
        // loops (the quiescing helper's bookkeeping), which the server shuts down once every
        // connection has returned.
        try? await self.channel.closeFuture.get()
    }

    /// Runs `respond` for the response `state` stands for, then finishes that response, or
    /// answers with the error it threw.
    private func answer(
        _ state: NIOLoopBound<ResponseState>,
        _ respond: (consuming ResponseWriter) async throws -> Void
    ) async {
        let link = ConnectionLink(handler: self.handler, state: state, isSecure: self.isSecure)
        do {
            try await respond(ResponseWriter(link: link))
            try await link.run { handler, state in handler.responderReturned(state) }
        } catch {
            _ = try? await link.run { handler, state in handler.responderFailed(error, state: state) }
        }
    }
}
