import NIOCore

/// Runs Swift tasks on a NIO event loop, so a connection's request loop and its handlers run on
/// the thread that owns the socket: no hop between threads per request.
///
/// Unchecked `Sendable`: its one mutable property is read and written on the event loop's thread
/// only.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop
    /// Set on the event loop's thread while ``resumeInline(_:)`` resumes a task: the job that
    /// resumption enqueues is run at once. That job is the resumed task's own: the request loop
    /// and body readers are nonisolated and prefer this executor, so resuming one enqueues it
    /// here (were it to resume onto an actor, the actor's job would run inline instead, which is
    /// as safe: the flag is cleared before any job runs and after the resumption returns).
    private var runsNextJobInline = false

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        if self.eventLoop.inEventLoop, self.runsNextJobInline {
            self.runsNextJobInline = false
            job.runSynchronously(on: self.asUnownedTaskExecutor())
            return
        }
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// Runs `resume`, which resumes a task that runs on this executor, so that the task goes on
    /// right here until it next suspends, rather than after the event loop's current work: a
    /// request handed to a waiting request loop is answered within the read that brought it,
    /// its response flushed with the read's batch, as a synchronous handler's is. Outside the
    /// event loop's thread, or from within a task (no job runs inside another), the task is
    /// scheduled as usual.
    func resumeInline(_ resume: () -> Void) {
        guard self.eventLoop.inEventLoop, withUnsafeCurrentTask(body: { $0 == nil }) else {
            resume()
            return
        }
        self.runsNextJobInline = true
        resume()
        self.runsNextJobInline = false
    }
}
