import NIOConcurrencyHelpers

/// A list of async receivers an application calls at one moment of its life (aiohttp's
/// `Signal`): startup, shutdown, cleanup, response preparation.
///
/// Receivers are added while the application is configured; once it starts the list is frozen
/// and ``append(_:)`` throws ``FrozenSignalError``.
///
/// ```swift
/// try app.onStartup.append { app in app[databaseKey] = try await Database.connect() }
/// ```
public final class Signal<Receiver: Sendable>: Sendable {
    private struct State {
        var receivers: [Receiver] = []
        var frozen = false
    }

    private let state = NIOLockedValueBox(State())
    /// What the signal is, for errors.
    public let name: String

    /// An empty signal.
    public init(name: String) {
        self.name = name
    }

    /// Adds `receiver` at the end.
    public func append(_ receiver: Receiver) throws {
        try self.state.withLockedValue { state in
            guard !state.frozen else { throw FrozenSignalError(signal: self.name) }
            state.receivers.append(receiver)
        }
    }

    /// The receivers, in order.
    public var receivers: [Receiver] { self.state.withLockedValue { $0.receivers } }

    /// Whether receivers can no longer be added.
    public var isFrozen: Bool { self.state.withLockedValue { $0.frozen } }

    /// Stops receivers from being added; the application does this when it starts.
    public func freeze() {
        self.state.withLockedValue { $0.frozen = true }
    }
}

/// A receiver was added to a signal after its application started.
public struct FrozenSignalError: Error, Hashable, CustomStringConvertible {
    /// The signal's name.
    public let signal: String

    public var description: String { "Cannot add a receiver to \(self.signal): the application has started" }
}

extension Signal where Receiver == @Sendable (Application) async throws -> Void {
    /// Calls every receiver in order with `application`.
    public func send(_ application: Application) async throws {
        for receiver in self.receivers { try await receiver(application) }
    }
}

extension Signal where Receiver == @Sendable (Request, inout Response) async throws -> Void {
    /// Calls every receiver in order; each may change the response before it is sent.
    public func send(_ request: Request, _ response: inout Response) async throws {
        for receiver in self.receivers { try await receiver(request, &response) }
    }
}

extension Signal where Receiver == @Sendable (Request) async -> Void {
    /// Calls every receiver in order.
    public func send(_ request: Request) async {
        for receiver in self.receivers { await receiver(request) }
    }
}

extension Signal where Receiver == @Sendable (Request, Response) async -> Void {
    /// Calls every receiver in order.
    public func send(_ request: Request, _ response: Response) async {
        for receiver in self.receivers { await receiver(request, response) }
    }
}
