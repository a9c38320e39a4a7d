import NIOCore

/// When an idle keep-alive connection closes and when the request head being read must be
/// complete: the two deadlines one timer per connection watches. A value, tested without
/// sockets; the protocol handler schedules the timer (``HTTPServerHandler``).
struct ConnectionDeadlines {
    /// The timeouts, converted once.
    let idleTimeout: TimeAmount?
    let headTimeout: TimeAmount?
    /// When the connection, idle between requests, is closed.
    private(set) var idle: NIODeadline?
    /// When the current request head must be complete.
    private(set) var head: NIODeadline?

    init(idleTimeout: Duration?, headTimeout: Duration?) {
        self.idleTimeout = idleTimeout.map { TimeAmount($0) }
        self.headTimeout = headTimeout.map { TimeAmount($0) }
    }

    /// The connection is idle from `now`; false when it has no idle timeout.
    mutating func startIdle(now: NIODeadline) -> Bool {
        guard let timeout = self.idleTimeout else { return false }
        self.idle = now + timeout
        return true
    }

    /// A request head has begun at `now`; false when heads have no timeout.
    mutating func startHead(now: NIODeadline) -> Bool {
        guard let timeout = self.headTimeout else { return false }
        self.head = now + timeout
        return true
    }

    /// The connection is to close by `deadline` if it is idle then (or sooner, as it was).
    mutating func shortenIdle(to deadline: NIODeadline) {
        self.idle = min(self.idle ?? deadline, deadline)
    }

    /// Bytes came: the connection is no longer idle.
    mutating func clearIdle() { self.idle = nil }

    /// The head is complete.
    mutating func clearHead() { self.head = nil }

    /// Neither deadline applies any more (the connection switched protocols).
    mutating func clearAll() { (self.idle, self.head) = (nil, nil) }

    /// The nearer of the two deadlines, for the timer.
    var nearest: NIODeadline? {
        switch (self.idle, self.head) {
        case (let idle?, let head?): min(idle, head)
        case (let deadline?, nil), (nil, let deadline?): deadline
        case (nil, nil): nil
        }
    }

    /// Which deadlines have passed at `now`; a passed head deadline is cleared (it is answered
    /// once), an idle one stays until the connection is seen to be idle.
    mutating func expire(at now: NIODeadline) -> (head: Bool, idle: Bool) {
        let head = self.head.map { now >= $0 } ?? false
        if head { self.head = nil }
        return (head, self.idle.map { now >= $0 } ?? false)
    }
}
