import AioWire
import NIOCore

/// The timers of a connection, on its event loop: one for the idle and head deadlines (see
/// ``ConnectionDeadlines``), one for a stalled request body, one for stalled writes.
extension HTTPServerHandler {
    func startIdleTimer() {
        if self.deadlines.startIdle(now: self.now()) { self.armConnectionTimer() }
    }

    func startHeadTimer() {
        if self.deadlines.startHead(now: self.now()) { self.armConnectionTimer() }
    }

    /// The current time; while the requests of one read are handled, the time of that read.
    func now() -> NIODeadline {
        if let time = self.readTime { return time }
        let time = NIODeadline.now()
        if self.batchingWrites { self.readTime = time }
        return time
    }

    /// Schedules the connection timer for the nearest of the idle and head deadlines. A timer
    /// already due no later is kept: it re-arms itself when it fires, so on a busy keep-alive
    /// connection, whose deadlines only move forward, one timer serves many requests.
    func armConnectionTimer() {
        guard !self.closed, let deadline = self.deadlines.nearest else { return }
        if let timer = self.connectionTimer {
            if timer.deadline <= deadline { return }
            timer.task.cancel()
        }
        let task = self.context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { () -> Void in
            self.connectionTimerFired()
        }
        self.connectionTimer = (task, deadline)
    }

    func connectionTimerFired() {
        self.connectionTimer = nil
        let expired = self.deadlines.expire(at: .now())
        if expired.head {
            self.logger.debug("closing a connection whose request head was too slow")
            if self.pending.isEmpty {
                self.refuse(RequestTimeout("The request head took too long"))
            } else {
                self.stopReading = true
                self.closeWhenDone = true
            }
        }
        if expired.idle {
            if self.pending.isEmpty, self.parser.isIdle {
                self.context.close(promise: nil)
                return
            }
            // Not idle after all: the deadline no longer applies (kept, the timer would fire
            // again at once, and again).
            self.deadlines.clearIdle()
        }
        self.armConnectionTimer()
    }

    func startBodyTimer() {
        guard let timeout = self.configuration.bodyReadTimeout, self.receiving?.source != nil, !self.closed, !self.upgraded else {
            return
        }
        self.bodyTimer?.cancel()
        self.bodyTimer = self.context.eventLoop.assumeIsolated().scheduleTask(in: .init(timeout)) {
            guard let receiving = self.receiving else { return }
            receiving.source?.finish(RequestTimeout("The request body stalled"))
            self.receiving = nil
            self.stopReading = true
            self.pending.last?.closeAfter = true
        }
    }

    func restartBodyTimer() {
        if self.bodyTimer != nil { self.startBodyTimer() }
    }

    func cancelTimers() {
        for timer in [self.connectionTimer?.task, self.bodyTimer, self.writeTimer] { timer?.cancel() }
        (self.connectionTimer, self.bodyTimer, self.writeTimer) = (nil, nil, nil)
    }
}
