import AioWire
import NIOCore

/// What the protocol handler hands to the connection's request loop, with the state of the
/// response it owes.
enum ConnectionItem: Sendable {
    /// A request to answer.
    case request(ServerRequest, NIOLoopBound<ResponseState>)
    /// Bytes that are not a request: answer with this error and close.
    case failure(any HTTPProcessingError, NIOLoopBound<ResponseState>)
    /// A request the responder began to answer immediately: run the rest of its answer.
    case rest(@Sendable (consuming ResponseWriter) async throws -> Void, NIOLoopBound<ResponseState>)

    /// Whether the item is answered without reading more from the socket (a bodiless request
    /// that does not upgrade, or the rest of an immediate answer): one the request loop may run
    /// inline, within the read that brought it, since it cannot reenter the parser.
    var answersWithoutReading: Bool {
        switch self {
        case .request(let request, _): request.body.expectedLength == 0 && !request.head.isUpgrade
        case .rest: true
        case .failure: false
        }
    }
}

/// The items a connection's protocol handler hands its request loop, oldest first, and the loop
/// itself while it waits for one. Confined to the connection's event loop.
struct ConnectionItemQueue {
    private var items = CircularBuffer<ConnectionItem>(initialCapacity: 4)
    /// The request loop, parked until an item comes.
    private var waiter: UnsafeContinuation<ConnectionItem?, Never>?
    /// No more items will come: the connection has closed.
    private(set) var isFinished = false

    /// How many items wait.
    var count: Int { self.items.count }
    /// Whether no item waits (pipelined requests are queued while the loop answers another).
    var isEmpty: Bool { self.items.isEmpty }

    /// Hands `item` over: returns the parked request loop, for the caller to resume with it, or
    /// keeps the item and returns nil.
    mutating func push(_ item: ConnectionItem) -> UnsafeContinuation<ConnectionItem?, Never>? {
        if let waiter = self.waiter {
            self.waiter = nil
            return waiter
        }
        self.items.append(item)
        return nil
    }

    /// The oldest item: `.some(item)`, `.some(nil)` once the queue is finished and empty, or nil
    /// when the loop has to wait.
    mutating func pop() -> ConnectionItem?? {
        guard !self.items.isEmpty else { return self.isFinished ? .some(nil) : nil }
        return .some(self.items.removeFirst())
    }

    /// Parks the request loop until an item comes (the caller has found none with ``pop()``).
    mutating func park(_ continuation: UnsafeContinuation<ConnectionItem?, Never>) {
        precondition(self.waiter == nil, "one request loop per connection")
        self.waiter = continuation
    }

    /// No more items: returns the parked loop, for the caller to resume with nil.
    mutating func finish() -> UnsafeContinuation<ConnectionItem?, Never>? {
        self.isFinished = true
        defer { self.waiter = nil }
        return self.waiter
    }
}
