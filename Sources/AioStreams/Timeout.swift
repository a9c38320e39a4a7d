/// An operation ran out of time: thrown by ``withTimeout(_:operation:)``, as aiohttp's
/// `asyncio.TimeoutError`.
public struct TimeoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The time the operation was given.
    public let timeout: Duration

    /// An error for an operation given `timeout`.
    public init(timeout: Duration) {
        self.timeout = timeout
    }

    public var description: String { "Operation timed out after \(self.timeout)" }
}

/// Runs `operation`, cancelling it and throwing ``TimeoutError`` if it has not finished after
/// `timeout`: aiohttp's `Timeout` context.
///
/// The operation must react to cancellation for the call to return on time, as every NIO and
/// AioHTTP wait does. Errors of the operation itself pass through unchanged.
public func withTimeout<Result: Sendable>(
    _ timeout: Duration,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError(timeout: timeout)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
