import AioWire
import NIOCore
import NIOSSL
import Synchronization

/// The session's connections: idle keep-alive connections per ``PoolKey`` (the most recently
/// used first), the total and per-host limits, and the requests waiting for a connection in
/// the order they came (aiohttp's `BaseConnector`).
final class ConnectionPool: Sendable {
    /// What a waiting request is given: a connection to reuse, or the right to open one.
    enum Grant {
        case connection(ClientConnection)
        case slot
    }

    private struct Idle {
        let connection: ClientConnection
        let since: NIODeadline
    }

    private struct Waiter {
        let id: Int
        let key: PoolKey
        let continuation: CheckedContinuation<Grant, any Error>
    }

    private struct State {
        var idle: [PoolKey: [Idle]] = [:]
        /// Every connection open or being opened, by key.
        var open: [PoolKey: Int] = [:]
        var total = 0
        var all: [ObjectIdentifier: ClientConnection] = [:]
        var waiters: [Waiter] = []
        var nextWaiter = 0
        /// Waiters that timed out or were cancelled before they joined the line, with why.
        var abandoned: [Int: any Error] = [:]
        /// Idle connections closed to give their slot to another key.
        var transferred: Set<ObjectIdentifier> = []
        var closed = false
    }

    let connector: ClientConnector
    let parser: HTTPParserConfiguration
    let dns: DNSCache
    let metrics: PoolMetrics?
    private let state = Mutex(State())
    private let sweeper = Mutex<RepeatedTask?>(nil)
    private let sslContexts = Mutex<[NIOSSLContext?]>([nil, nil])

    init(connector: ClientConnector, parser: HTTPParserConfiguration) {
        self.connector = connector
        self.parser = parser
        self.metrics = connector.metricsFactory.map { PoolMetrics(factory: $0) }
        self.dns = DNSCache(resolver: connector.resolver, enabled: connector.useDNSCache, ttl: connector.ttlDNSCache)
        let keepAlive = TimeAmount.seconds(clamping: connector.keepAliveTimeout)
        // Idle connections past their keep-alive time are closed once a second.
        let task = connector.eventLoopGroup.any().scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            self?.closeIdle(olderThan: keepAlive)
        }
        self.sweeper.withLock { $0 = task }
    }

    /// Runs `body` on the state under the lock, then reports the pool's numbers when metrics
    /// are on.
    private func withState<Result: Sendable>(_ body: (inout State) throws -> Result) rethrows -> Result {
        guard let metrics = self.metrics else { return try self.state.withLock { try body(&$0) } }
        let (result, snapshot) = try self.state.withLock { state in
            let result = try body(&state)
            return (result, PoolMetrics.Snapshot(open: state.total, idle: state.idle.values.reduce(0) { $0 + $1.count }, waiters: state.waiters.count))
        }
        metrics.record(snapshot)
        return result
    }

    deinit {
        self.sweeper.withLock { $0?.cancel() }
    }

    private func closeIdle(olderThan keepAlive: TimeAmount) {
        let now = NIODeadline.now()
        let expired = self.withState { state -> [ClientConnection] in
            var expired: [ClientConnection] = []
            for (key, list) in state.idle where list.contains(where: { now - $0.since >= keepAlive }) {
                expired += list.filter { now - $0.since >= keepAlive }.map(\.connection)
                let fresh = list.filter { now - $0.since < keepAlive }
                state.idle[key] = fresh.isEmpty ? nil : fresh
            }
            return expired
        }
        for connection in expired { connection.close() }
    }

    /// A connection for `key`: an idle one (`reused`), or a new one once the limits allow.
    ///
    /// - Parameters:
    ///   - fresh: never reuse an idle connection (a retry after a stale one).
    ///   - timeout: the longest wait for a free connection and the connect together.
    func acquire(_ key: PoolKey, fresh: Bool = false, timeout: Double?, sockConnect: Double?, trace: RequestTrace?) async throws -> (ClientConnection, reused: Bool) {
        let deadline = timeout.map { NIODeadline.now() + .seconds(clamping: $0) }
        let grant: Grant
        let place = TraceConnectionParams(host: key.host, port: key.port)
        if let now = try self.take(key, fresh: fresh) {
            grant = now
        } else {
            await trace?.send({ $0.onConnectionQueuedStart }, place)
            grant = try await self.wait(key, fresh: fresh, timeout: timeout)
            await trace?.send({ $0.onConnectionQueuedEnd }, place)
        }
        switch grant {
        case .connection(let connection):
            await trace?.send({ $0.onConnectionReuseconn }, place)
            return (connection, true)
        case .slot:
            var connectTimeout = sockConnect
            if let deadline {
                let left = Double((deadline - .now()).nanoseconds) / 1e9
                guard left > 0 else {
                    self.released(key)
                    throw ConnectionTimeoutError(host: key.host, port: key.port, seconds: timeout ?? 0)
                }
                connectTimeout = min(connectTimeout ?? left, left)
            }
            let connection: ClientConnection
            await trace?.send({ $0.onConnectionCreateStart }, place)
            do {
                connection = try await ClientConnection.connect(
                    key,
                    connector: self.connector,
                    tls: key.isSecure ? try self.tlsContext(for: key, pinned: true) : nil,
                    proxyTLS: key.proxy?.url.isSecure == true ? try self.tlsContext(for: key, pinned: false) : nil,
                    parser: self.parser,
                    timeout: connectTimeout,
                    dns: self.dns,
                    trace: trace
                ) { [weak self] connection, reusable in
                    if reusable { self?.checkIn(connection) } else { self?.closed(connection) }
                }
            } catch {
                self.released(key)
                throw error
            }
            let closed = self.withState { state -> Bool in
                if !state.closed { state.all[ObjectIdentifier(connection)] = connection }
                return state.closed
            }
            if closed {
                // Its slot is released when it reports itself closed.
                connection.close()
                throw ClientConnectorSocketError(host: key.host, port: key.port, underlying: SessionClosed())
            }
            await trace?.send({ $0.onConnectionCreateEnd }, place)
            return (connection, false)
        }
    }

    /// Takes `connection`, new from ``acquire(_:fresh:timeout:sockConnect:)``, out of HTTP use
    /// for a protocol switch: it keeps its slot until it closes (and closes with the pool).
    func detach(_ connection: ClientConnection) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let channel = try await connection.detach()
        connection.channel.closeFuture.whenComplete { [weak self] _ in self?.closed(connection) }
        return channel
    }

    /// The TLS contexts of the pool's connections, made once each (loading the trust roots is
    /// costly): for origins, where a pin replaces verification, and for proxies, always verified.
    private func tlsContext(for key: PoolKey, pinned: Bool) throws -> NIOSSLContext {
        try self.sslContexts.withLock { contexts in
            let index = pinned ? 0 : 1
            if let context = contexts[index] { return context }
            var configuration = self.connector.tls
            if pinned, self.connector.pinnedFingerprint != nil { configuration.certificateVerification = .none }
            do {
                let made = try NIOSSLContext(configuration: configuration)
                contexts[index] = made
                return made
            } catch {
                throw ClientConnectorSSLError(host: key.host, port: key.port, underlying: error)
            }
        }
    }

    /// An idle connection or a free slot, right now; nil when the caller must wait.
    private func take(_ key: PoolKey, fresh: Bool) throws -> Grant? {
        let (grant, stale) = try self.withState { state throws -> (Grant?, [ClientConnection]) in
            guard !state.closed else { throw ClientConnectorSocketError(host: key.host, port: key.port, underlying: SessionClosed()) }
            return self.take(key, fresh: fresh, in: &state)
        }
        for connection in stale { connection.close() }
        return grant
    }

    private func take(_ key: PoolKey, fresh: Bool, in state: inout State) -> (Grant?, [ClientConnection]) {
        var stale: [ClientConnection] = []
        if !fresh {
            while let idle = state.idle[key]?.popLast() {
                if state.idle[key]?.isEmpty == true { state.idle[key] = nil }
                if idle.connection.channel.isActive { return (.connection(idle.connection), stale) }
                stale.append(idle.connection)
            }
        }
        if !self.hasRoom(for: key, in: state) {
            // Only the total limit in the way, held by an idle connection of another key: that
            // connection gives its slot up (idle ones do not block other hosts).
            guard self.connector.limitPerHost == 0 || state.open[key, default: 0] < self.connector.limitPerHost,
                let victim = self.oldestIdle(in: &state)
            else { return (nil, stale) }
            state.transferred.insert(ObjectIdentifier(victim))
            state.open[victim.key, default: 1] -= 1
            if state.open[victim.key] == 0 { state.open[victim.key] = nil }
            state.open[key, default: 0] += 1
            stale.append(victim)
            return (.slot, stale)
        }
        state.total += 1
        state.open[key, default: 0] += 1
        return (.slot, stale)
    }

    /// Takes the idle connection unused longest out of the pool.
    private func oldestIdle(in state: inout State) -> ClientConnection? {
        guard let (key, index) = state.idle.flatMap({ key, list in list.indices.map { (key, $0) } })
            .min(by: { state.idle[$0.0]![$0.1].since < state.idle[$1.0]![$1.1].since })
        else { return nil }
        let idle = state.idle[key]!.remove(at: index)
        if state.idle[key]!.isEmpty { state.idle[key] = nil }
        return idle.connection
    }

    private func hasRoom(for key: PoolKey, in state: State) -> Bool {
        (self.connector.limit == 0 || state.total < self.connector.limit)
            && (self.connector.limitPerHost == 0 || state.open[key, default: 0] < self.connector.limitPerHost)
    }

    /// Waits in line for a connection or a slot.
    private func wait(_ key: PoolKey, fresh: Bool, timeout: Double?) async throws -> Grant {
        let id = self.withState { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        let timer = timeout.map { seconds in
            self.connector.eventLoopGroup.any().scheduleTask(in: .seconds(clamping: seconds)) { [weak self] in
                self?.leave(id, ConnectionTimeoutError(host: key.host, port: key.port, seconds: seconds))
            }
        }
        defer {
            timer?.cancel()
            self.withState { _ = $0.abandoned.removeValue(forKey: id) }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let (grant, stale, failure) = self.withState { state -> (Grant?, [ClientConnection], (any Error)?) in
                    guard !state.closed else {
                        return (nil, [], ClientConnectorSocketError(host: key.host, port: key.port, underlying: SessionClosed()))
                    }
                    if let error = state.abandoned.removeValue(forKey: id) { return (nil, [], error) }
                    if Task.isCancelled { return (nil, [], CancellationError()) }
                    let (grant, stale) = self.take(key, fresh: fresh, in: &state)
                    if grant == nil { state.waiters.append(Waiter(id: id, key: key, continuation: continuation)) }
                    return (grant, stale, nil)
                }
                for connection in stale { connection.close() }
                if let failure {
                    continuation.resume(throwing: failure)
                } else if let grant {
                    continuation.resume(returning: grant)
                }
            }
        } onCancel: {
            self.leave(id, CancellationError())
        }
    }

    /// Takes waiter `id` out of the line, failing it with `error`.
    private func leave(_ id: Int, _ error: any Error) {
        let waiter = self.withState { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                // Not in line yet (or served already): it finds this when it comes.
                state.abandoned[id] = error
                return nil
            }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// `connection` finished an exchange and can take another: the first waiter for its key gets
    /// it; else it idles, unless a waiter for another key needs its slot.
    private func checkIn(_ connection: ClientConnection) {
        enum Outcome {
            case handed(Waiter)
            case idled
            case closeFor(Waiter?)
        }
        let outcome = self.withState { state -> Outcome in
            guard !state.closed else { return .closeFor(nil) }
            if let index = state.waiters.firstIndex(where: { $0.key == connection.key }) {
                return .handed(state.waiters.remove(at: index))
            }
            if let first = state.waiters.first, !self.hasRoom(for: first.key, in: state) {
                // Another host waits for room that this idle connection holds.
                return .closeFor(nil)
            }
            state.idle[connection.key, default: []].append(Idle(connection: connection, since: .now()))
            return .idled
        }
        switch outcome {
        case .handed(let waiter): waiter.continuation.resume(returning: .connection(connection))
        case .idled: break
        case .closeFor: connection.close()
        }
    }

    /// `connection` closed: its slot goes to the first waiter that may use it.
    private func closed(_ connection: ClientConnection) {
        let transferred = self.withState { state -> Bool in
            state.all[ObjectIdentifier(connection)] = nil
            if var list = state.idle[connection.key] {
                list.removeAll { $0.connection === connection }
                state.idle[connection.key] = list.isEmpty ? nil : list
            }
            // Evicted for another key: its slot was handed over already.
            return state.transferred.remove(ObjectIdentifier(connection)) != nil
        }
        if !transferred { self.released(connection.key) }
    }

    /// A slot of `key` is free again.
    private func released(_ key: PoolKey) {
        let waiter = self.withState { state -> Waiter? in
            state.total -= 1
            state.open[key, default: 1] -= 1
            if state.open[key] == 0 { state.open[key] = nil }
            guard let index = state.waiters.firstIndex(where: { self.hasRoom(for: $0.key, in: state) }) else { return nil }
            let waiter = state.waiters.remove(at: index)
            state.total += 1
            state.open[waiter.key, default: 0] += 1
            return waiter
        }
        waiter?.continuation.resume(returning: .slot)
    }

    /// Closes every connection and fails every waiter.
    func close() async {
        let (connections, waiters) = self.withState { state -> ([ClientConnection], [Waiter]) in
            state.closed = true
            defer {
                state.waiters = []
                state.idle = [:]
            }
            return (Array(state.all.values), state.waiters)
        }
        self.sweeper.withLock { $0?.cancel() }
        for waiter in waiters {
            waiter.continuation.resume(throwing: ClientConnectorSocketError(host: waiter.key.host, port: waiter.key.port, underlying: SessionClosed()))
        }
        for connection in connections {
            connection.close(because: ClientDisconnectedError())
            try? await connection.channel.closeFuture.get()
        }
    }

    /// The session was closed.
    struct SessionClosed: Error, CustomStringConvertible {
        var description: String { "the session is closed" }
    }
}
