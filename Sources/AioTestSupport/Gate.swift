/// A one-shot signal between a test and the code it drives: ``wait()`` returns once ``open()``
/// was called (before or after), or when the waiting task is cancelled.
public final class Gate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    /// A closed gate.
    public init() {
        (self.stream, self.continuation) = AsyncStream<Void>.makeStream()
    }

    /// Lets every waiter, present and future, go on.
    public func open() { self.continuation.finish() }

    /// Waits until the gate is open or the task is cancelled.
    public func wait() async {
        for await _ in self.stream {}
    }
}
