import NIOCore
import Synchronization

/// The body of one response as it arrives: the connection's handler appends pieces on its event
/// loop, one reader takes them in order. Past `highWatermark` buffered bytes the handler stops
/// reading from the socket until the reader catches up (back-pressure); the reader's demand
/// restarts it.
final class ResponseBodyStream: Sendable {
    private struct State {
        var parts = CircularBuffer<ByteBuffer>()
        var buffered = 0
        /// Set once: the body's end, or why it cannot end.
        var end: Result<Void, any Error>?
        var waiter: CheckedContinuation<ByteBuffer?, any Error>?
        /// Whether the handler holds back a read until the reader asks for more.
        var paused = false
    }

    private let state = Mutex(State())
    private let highWatermark: Int
    /// Resumes reading on the connection (hops to its event loop).
    private let demand: @Sendable () -> Void
    /// Closes the connection: the reader gave up on the body.
    private let abort: @Sendable () -> Void

    init(highWatermark: Int, demand: @escaping @Sendable () -> Void, abort: @escaping @Sendable () -> Void) {
        self.highWatermark = highWatermark
        self.demand = demand
        self.abort = abort
    }

    // MARK: The handler's side

    /// Adds `part` to the body.
    func append(_ part: ByteBuffer) {
        let waiter = self.state.withLock { state -> CheckedContinuation<ByteBuffer?, any Error>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.parts.append(part)
            state.buffered += part.readableBytes
            return nil
        }
        waiter?.resume(returning: part)
    }

    /// Ends the body: whole when `error` is nil.
    func finish(_ error: (any Error)? = nil) {
        let waiter = self.state.withLock { state -> CheckedContinuation<ByteBuffer?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Whether the handler should hold back its next read; records that it does.
    func shouldPause() -> Bool {
        self.state.withLock { state in
            guard state.buffered >= self.highWatermark else { return false }
            state.paused = true
            return true
        }
    }

    /// Whether the body has ended, whole or not.
    var isFinished: Bool { self.state.withLock { $0.end != nil } }

    // MARK: The reader's side

    /// The next piece, or nil at the end of a whole body.
    ///
    /// - Throws: why the body could not be read whole (``ClientPayloadError``, a timeout), or
    ///   `CancellationError` when the reading task is cancelled (the connection is closed).
    func next() async throws -> ByteBuffer? {
        enum Step {
            case part(ByteBuffer, resume: Bool)
            case end(Result<Void, any Error>)
            case wait(resume: Bool)
        }
        let step = self.state.withLock { state -> Step in
            if let part = state.parts.popFirst() {
                state.buffered -= part.readableBytes
                let resume = state.paused && state.buffered < self.highWatermark / 2
                if resume { state.paused = false }
                return .part(part, resume: resume)
            }
            if let end = state.end { return .end(end) }
            defer { state.paused = false }
            return .wait(resume: state.paused)
        }
        switch step {
        case .part(let part, let resume):
            if resume { self.demand() }
            return part
        case .end(let end):
            try end.get()
            return nil
        case .wait(let resume):
            if resume { self.demand() }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    enum Now {
                        case part(ByteBuffer)
                        case end(Result<Void, any Error>)
                        case parked
                    }
                    let now = self.state.withLock { state -> Now in
                        if let part = state.parts.popFirst() {
                            state.buffered -= part.readableBytes
                            return .part(part)
                        }
                        if let end = state.end { return .end(end) }
                        state.waiter = continuation
                        return .parked
                    }
                    switch now {
                    case .part(let part): continuation.resume(returning: part)
                    case .end(.success): continuation.resume(returning: nil)
                    case .end(.failure(let error)): continuation.resume(throwing: error)
                    case .parked: break
                    }
                }
            } onCancel: {
                self.cancel()
            }
        }
    }

    /// Gives up on the body: a waiting reader gets `CancellationError` and the connection is
    /// closed unless the body had already ended.
    func cancel() {
        let (waiter, ended) = self.state.withLock { state -> (CheckedContinuation<ByteBuffer?, any Error>?, Bool) in
            let ended = state.end != nil
            if !ended { state.end = .failure(CancellationError()) }
            defer { state.waiter = nil }
            return (state.waiter, ended)
        }
        waiter?.resume(throwing: CancellationError())
        if !ended { self.abort() }
    }
}
