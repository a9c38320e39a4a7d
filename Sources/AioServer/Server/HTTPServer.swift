import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// An HTTP/1.1 server on SwiftNIO, run as a swift-service-lifecycle `Service`.
///
/// Each connection's requests are parsed by AioWire on the connection's event loop and answered
/// in order by the `responder`, on that same event loop. On graceful shutdown (SIGTERM or SIGINT
/// through a `ServiceGroup`, or ``shutdown()``) it stops accepting, closes idle keep-alive
/// connections after ``ServerConfiguration/drainIdleTimeout`` (1 s) without a request, lets
/// requests in flight finish within the grace period, then returns.
///
/// ```swift
/// let server = HTTPServer(responder: myResponder, configuration: .init(address: .hostname(port: 8080)))
/// let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
public final class HTTPServer<Responder: HTTPResponder>: Service, Sendable {
    private enum State {
        case idle
        case running(serverChannel: any Channel, quiescing: ServerQuiescingHelper)
        /// `quiesced` is the helper's shutdown promise, completed here once every connection has
        /// ended, so it never outlives the event loops it belongs to.
        case stopping(forceClose: Task<Void, Never>, quiesced: EventLoopPromise<Void>)
        case stopped
    }

    private let responder: Responder
    /// The configuration the server was made with.
    public let configuration: ServerConfiguration
    private let logger: Logger
    private let state = NIOLockedValueBox(State.idle)
    /// The connections accepted and not closed yet, recorded as the listener accepts them (before
    /// they are set up), for a forced shutdown and for ``run()`` to wait on.
    private let connections = NIOLockedValueBox(AcceptedChannels())
    private let observers: ServerObservers
    private let listening = NIOLockedValueBox<(address: SocketAddress?, waiters: [CheckedContinuation<SocketAddress, any Error>])>(
        (nil, [])
    )
    /// Whether the server has stopped accepting, and the ``shutdown()`` calls waiting for it:
    /// kept here rather than in a future of the listening channel, whose event loop is gone once
    /// ``run()`` has shut its group down.
    private let accepting = NIOLockedValueBox<(ended: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    /// The task that accepts connections and whose children answer them: cancelled when the
    /// grace period is over, so that handlers still running see cancellation.
    private let serving = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// A server that answers with `responder`, logging to `logger` and, when
    /// `configuration.accessLog` is set, one line per request to `accessLogger`.
    public init(
        responder: Responder,
        configuration: ServerConfiguration = .init(),
        logger: Logger = Logger(label: "aio.server"),
        accessLogger: Logger = Logger(label: "aio.access")
    ) {
        self.responder = responder
        self.configuration = configuration
        self.logger = logger
        self.observers = ServerObservers(
            accessLog: configuration.accessLog,
            accessLogger: accessLogger,
            metricsFactory: configuration.metricsFactory ?? MetricsSystem.factory
        )
    }

    /// The address the server listens on, once it does (with the port it got for port 0).
    public func localAddress() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let address = self.listening.withLockedValue { listening -> SocketAddress? in
                if listening.address == nil { listening.waiters.append(continuation) }
                return listening.address
            }
            if let address { continuation.resume(returning: address) }
        }
    }

    /// Binds, serves until shut down, and returns when every connection has closed.
    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, self.configuration.eventLoopCount))
        do {
            try await self.serve(on: group)
        } catch {
            self.failListening(error)
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    /// Starts a graceful shutdown, as SIGTERM would, and returns once the server no longer
    /// accepts connections; ``run()`` returns when the connections have closed.
    public func shutdown() async {
        guard self.initiateShutdown() else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = self.accepting.withLockedValue { accepting in
                if !accepting.ended { accepting.waiters.append(continuation) }
                return accepting.ended
            }
            if ended { continuation.resume() }
        }
    }

    /// Tells the ``shutdown()`` calls that no connection is accepted any more.
    private func acceptingEnded() {
        let waiters = self.accepting.withLockedValue { accepting in
            accepting.ended = true
            defer { accepting.waiters = [] }
            return accepting.waiters
        }
        waiters.forEach { $0.resume() }
    }

    private func serve(on group: MultiThreadedEventLoopGroup) async throws {
        defer { self.acceptingEnded() }
        let executors = Dictionary(uniqueKeysWithValues: group.makeIterator().map { (ObjectIdentifier($0), EventLoopTaskExecutor($0)) })
        let quiescing = ServerQuiescingHelper(group: group)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Int32(self.configuration.backlog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        quiescing.makeServerChannelHandler(channel: channel),
                        AcceptedChannelRecorder { self.record($0) }
                    )
                }
            }
            // No socket option of our own on accepted sockets: a failure there ends the stream
            // of accepted connections, and with it the server. SwiftNIO sets TCP_NODELAY on the
            // listening socket, which accepted ones inherit.
            .childChannelOption(.allowRemoteHalfClosure, value: true)

        // A connection that cannot be set up (its peer gone already) is closed; SwiftNIO drops
        // the failure, and the server goes on accepting.
        let initializer: @Sendable (any Channel) -> EventLoopFuture<HTTPServerConnection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                do {
                    return try self.setUp(channel, executor: executors[ObjectIdentifier(channel.eventLoop)]!)
                } catch {
                    channel.close(promise: nil)
                    throw error
                }
            }
        }
        let serverChannel: NIOAsyncChannel<HTTPServerConnection, Never>
        switch self.configuration.address.value {
        case .hostname(let host, let port):
            serverChannel = try await bootstrap.bind(host: host, port: port, childChannelInitializer: initializer)
        case .unixDomainSocket(let path):
            serverChannel = try await bootstrap.bind(
                unixDomainSocketPath: path,
                cleanupExistingSocketFile: true,
                childChannelInitializer: initializer
            )
        case .socket(let socket):
            serverChannel = try await bootstrap.bind(NIOBSDSocket.Handle(socket.descriptor), childChannelInitializer: initializer)
            do {
                try socket.setBacklog(self.configuration.backlog)
            } catch {
                try? await serverChannel.channel.close()
                throw error
            }
        }
        let startedStopping = self.state.withLockedValue { state -> Bool in
            if case .idle = state {
                state = .running(serverChannel: serverChannel.channel, quiescing: quiescing)
                return false
            }
            return true
        }
        if startedStopping {
            try await serverChannel.channel.close()
            return
        }
        if let address = serverChannel.channel.localAddress {
            self.announce(address)
        }

        // The accept loop runs on the listening socket's event loop too, so handlers that block
        // the shared thread pool cannot stop new connections from being served.
        let acceptExecutor = executors[ObjectIdentifier(serverChannel.channel.eventLoop)]
        let serving = Task(executorPreference: acceptExecutor) {
            await self.accept(from: serverChannel, executors: executors)
        }
        self.serving.withLockedValue { $0 = serving }
        await withGracefulShutdownHandler {
            // Cancelled, the server cancels its handlers and closes every connection, which ends
            // their request loops.
            await withTaskCancellationHandler {
                await serving.value
            } onCancel: {
                self.forceClose()
            }
        } onGracefulShutdown: {
            self.initiateShutdown()
        }
        await self.connectionsClosed(listener: serverChannel.channel)
        self.state.withLockedValue { state in
            if case .stopping(let forceClose, let quiesced) = state {
                forceClose.cancel()
                quiesced.succeed()
            }
            state = .stopped
        }
    }

    /// Serves each accepted connection in a child task, on its event loop, until the listening
    /// socket closes and every connection has ended.
    private func accept(
        from serverChannel: NIOAsyncChannel<HTTPServerConnection, Never>,
        executors: [ObjectIdentifier: EventLoopTaskExecutor]
    ) async {
        await withDiscardingTaskGroup { tasks in
            do {
                try await serverChannel.executeThenClose { inbound in
                    for try await connection in inbound {
                        let executor = self.configuration.runsHandlersOnEventLoop
                            ? executors[ObjectIdentifier(connection.channel.eventLoop)] : nil
                        tasks.addTask(executorPreference: executor) {
                            await connection.run(responder: self.responder)
                        }
                    }
                }
            } catch is CancellationError {
                // The grace period is over.
            } catch {
                // Not a shutdown (that ends the stream without an error): the server stops serving.
                self.logger.error("stopped accepting connections", metadata: ["error": "\(error)"])
            }
            self.acceptingEnded()
        }
    }

    /// Returns once the listener and every channel it accepted have closed, and the quiescing
    /// helper, which hears of each close on the channel's event loop and records it on the
    /// listener's, has done so. Channels end without a connection task (accepted as the
    /// listener closed, or set up after the accept loop ended), and the event loops must not
    /// shut down under their close (work sent to a loop that has shut down is lost, and fatal
    /// in SwiftNIO's strict mode). The grace period, or a forced close, bounds the wait.
    private func connectionsClosed(listener: any Channel) async {
        try? await listener.closeFuture.get()
        let open = self.connections.withLockedValue { Array($0.open.values) }
        for channel in open {
            try? await channel.closeFuture.get()
        }
        // The helper's close callbacks were registered before ours (its handler comes first in
        // the listener's pipeline), so what they sent to the listener's loop is queued ahead.
        try? await listener.eventLoop.submit {}.get()
    }

    /// Keeps `channel`, just accepted, until it closes; after a forced close, closes it at once.
    private func record(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let forced = self.connections.withLockedValue { accepted in
            if !accepted.forced { accepted.open[id] = channel }
            return accepted.forced
        }
        guard !forced else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { _ in
            self.connections.withLockedValue { _ = $0.open.removeValue(forKey: id) }
        }
    }

    /// Sets up an accepted connection (see ``HTTPServerConnection/setUp(_:configuration:logger:observers:responder:executor:)``).
    private func setUp(_ channel: any Channel, executor: EventLoopTaskExecutor) throws -> HTTPServerConnection {
        try HTTPServerConnection.setUp(
            channel,
            configuration: self.configuration,
            logger: self.logger,
            observers: self.observers,
            responder: self.responder,
            executor: executor
        )
    }

    /// Stops accepting and tells every connection to close once it has answered; returns
    /// whether this call started the shutdown.
    @discardableResult
    private func initiateShutdown() -> Bool {
        let grace = self.configuration.shutdownGracePeriod
        let started = self.state.withLockedValue { state -> Bool in
            switch state {
            case .running(let serverChannel, let quiescing):
                let quiesced = serverChannel.eventLoop.makePromise(of: Void.self)
                state = .stopping(
                    forceClose: Task {
                        try? await Task.sleep(for: grace)
                        guard !Task.isCancelled else { return }
                        self.forceClose()
                    },
                    quiesced: quiesced
                )
                // The quiescing runs on the listening socket's event loop, and is handed to it
                // under the lock: ``serve(on:)`` needs the lock to finish, so the event loops
                // cannot have shut down yet. Started from this thread, the helper could close
                // the listener (ending serving, and then the event loops) before it had
                // finished registering its own callbacks on them.
                serverChannel.eventLoop.execute { quiescing.initiateShutdown(promise: quiesced) }
                return true
            case .idle:
                state = .stopped
                return false
            case .stopping, .stopped:
                return false
            }
        }
        if started {
            self.logger.info("shutting down", metadata: ["grace": "\(grace)"])
        }
        return started
    }

    /// Ends serving now: every connection is closed, then handlers still running are cancelled
    /// (in that order, so that what they write after is not sent).
    private func forceClose() {
        let channels = self.connections.withLockedValue { accepted in
            accepted.forced = true
            return Array(accepted.open.values)
        }
        if !channels.isEmpty {
            self.logger.info("grace period over: closing connections", metadata: ["count": "\(channels.count)"])
        }
        for channel in channels { channel.close(promise: nil) }
        self.serving.withLockedValue { $0 }?.cancel()
    }

    private func announce(_ address: SocketAddress) {
        let waiters = self.listening.withLockedValue { listening in
            listening.address = address
            defer { listening.waiters = [] }
            return listening.waiters
        }
        waiters.forEach { $0.resume(returning: address) }
    }

    private func failListening(_ error: any Error) {
        let waiters = self.listening.withLockedValue { listening in
            defer { listening.waiters = [] }
            return listening.waiters
        }
        waiters.forEach { $0.resume(throwing: error) }
    }
}
