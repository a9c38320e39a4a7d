@testable import AioServer
import AioWire
import HTTPTypes
import NIOCore
import NIOEmbedded
import Testing

/// The parts of a connection that own their state, without sockets: the deadlines its timer
/// watches and the queue between its protocol handler and its request loop.
struct ConnectionPartsTests {
    @Test func deadlines() {
        var none = ConnectionDeadlines(idleTimeout: nil, headTimeout: nil)
        let idleStarted = none.startIdle(now: .uptimeNanoseconds(0))
        let headStarted = none.startHead(now: .uptimeNanoseconds(0))
        #expect(!idleStarted && !headStarted, "no timeouts, no deadlines")
        #expect(none.nearest == nil)

        var deadlines = ConnectionDeadlines(idleTimeout: .seconds(75), headTimeout: .seconds(30))
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        _ = deadlines.startIdle(now: start)
        #expect(deadlines.nearest == start + .seconds(75))
        _ = deadlines.startHead(now: start)
        #expect(deadlines.nearest == start + .seconds(30), "the nearer one")
        let early = deadlines.expire(at: start + .seconds(29))
        #expect(early == (head: false, idle: false))
        let headDue = deadlines.expire(at: start + .seconds(30))
        #expect(headDue == (head: true, idle: false))
        #expect(deadlines.head == nil, "a passed head deadline is answered once")
        let idleDue = deadlines.expire(at: start + .seconds(80))
        #expect(idleDue == (head: false, idle: true))
        #expect(deadlines.idle != nil, "an idle deadline stays until the connection is seen idle")
        deadlines.clearAll()
        #expect(deadlines.nearest == nil)
    }

    /// An item for the queue: the rest of an answer, with a state on an embedded event loop.
    static func item(_ loop: EmbeddedEventLoop, sequence: Int) -> ConnectionItem {
        let head = HTTPRequestHead(request: HTTPRequest(method: .get, scheme: "http", authority: "t", path: "/\(sequence)"))
        let state = ResponseState(request: head, method: .get, sequence: sequence, observed: false, logged: false)
        return .rest({ _ in }, NIOLoopBound(state, eventLoop: loop))
    }

    static func sequence(_ item: ConnectionItem?) -> Int? {
        guard case .rest(_, let state)? = item else { return nil }
        return state.value.sequence
    }

    @Test func itemQueue() async throws {
        let loop = EmbeddedEventLoop()
        var queue = ConnectionItemQueue()
        let nothing = queue.pop()
        #expect(nothing == nil, "empty: the loop has to wait")
        let noWaiter = queue.push(Self.item(loop, sequence: 1))
        #expect(noWaiter == nil, "kept: nobody waits")
        _ = queue.push(Self.item(loop, sequence: 2))
        #expect(queue.count == 2)
        let first = queue.pop()
        let second = queue.pop()
        #expect(Self.sequence(first!) == 1, "oldest first")
        #expect(Self.sequence(second!) == 2)

        // A parked loop is handed the next item instead of the queue keeping it.
        let handed = await withUnsafeContinuation { continuation in
            queue.park(continuation)
            let item = Self.item(loop, sequence: 3)
            queue.push(item)?.resume(returning: item)
        }
        #expect(Self.sequence(handed) == 3)
        #expect(queue.isEmpty)

        // Finished: a parked loop is told so, and so is every later pop once empty.
        let last = await withUnsafeContinuation { continuation in
            queue.park(continuation)
            queue.finish()?.resume(returning: nil)
        }
        #expect(last == nil)
        #expect(queue.isFinished)
        if case .some(.none) = queue.pop() {} else { Issue.record("a finished, empty queue says so") }
        try await loop.shutdownGracefully()
    }
}
