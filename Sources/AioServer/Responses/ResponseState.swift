import AioWire
import HTTPTypes
import NIOCore

/// One owed response, from the request's arrival to its last byte. Confined to the connection's
/// event loop.
final class ResponseState {
    /// The request was `HEAD`: the response has no body.
    private(set) var isHeadRequest = false
    /// The request's HTTP version.
    private(set) var version = HTTPVersion.http1_1
    /// How the request's body is delimited.
    private(set) var requestFraming = HTTPBodyFraming.empty
    /// The request asked for `100 Continue`.
    private(set) var expectsContinue = false
    /// The whole request head, kept only for the access log.
    private(set) var loggedRequest: HTTPRequestHead?
    /// The client's address as trusted proxies relayed it (`.some(nil)`: they said `unknown`),
    /// for the access log; nil when they said nothing.
    var forwardedAddress: SocketAddress??
    private(set) var sequence = 0
    /// When the request arrived.
    private(set) var started = NIODeadline.uptimeNanoseconds(0)
    /// Close the connection once this response is written.
    var closeAfter = false
    /// The request asked to switch protocols and the parser waits for the answer.
    var upgradeRequested = false
    var continueSent = false
    var headWritten = false
    var finished = false
    var framing = ResponseFraming.none
    /// Body bytes written so far.
    var written = 0
    /// Bytes of the status line and fields.
    var headBytes = 0
    /// The status and fields sent, for the access log.
    var status = 0
    var responseFields: HTTPFields?
    private var writabilityWaiters: [EventLoopPromise<Void>] = []
    /// The connection closed: nothing will wait for writability again.
    private var connectionGone = false

    /// The state of the response to `request` (whose method is `method`); `observed` keeps the
    /// time it arrived, and the head too with `logged`, for the metrics and the access log.
    init(request: borrowing HTTPRequestHead, method: HTTPRequest.Method, sequence: Int, observed: Bool, logged: Bool) {
        self.start(request: request, method: method, sequence: sequence, observed: observed, logged: logged)
    }

    /// Makes this the state of a new response, as `init` does: a connection reuses the state of a
    /// response it answered on the spot, which nothing else holds once written.
    func start(request: borrowing HTTPRequestHead, method: HTTPRequest.Method, sequence: Int, observed: Bool, logged: Bool) {
        self.isHeadRequest = method == .head
        self.version = request.version
        self.requestFraming = request.framing
        self.expectsContinue = request.expectsContinue
        if logged {
            self.loggedRequest = copy request
        } else if case .some = self.loggedRequest {
            self.loggedRequest = nil
        }
        self.sequence = sequence
        self.started = observed ? .now() : .uptimeNanoseconds(0)
        self.closeAfter = false
        self.upgradeRequested = false
        self.continueSent = false
        self.headWritten = false
        self.finished = false
        self.framing = .none
        self.written = 0
        self.headBytes = 0
        self.status = 0
        self.responseFields = nil
        self.forwardedAddress = nil
        self.writabilityWaiters = []
        self.connectionGone = false
    }

    /// A future that completes when the socket takes writes again, failed at once once the
    /// connection has closed (a write can close it on the spot, when the peer has reset it).
    func waitForWritability(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard !self.connectionGone else { return eventLoop.makeFailedFuture(ConnectionClosed()) }
        let promise = eventLoop.makePromise(of: Void.self)
        self.writabilityWaiters.append(promise)
        return promise.futureResult
    }

    func writabilityReturned() {
        let waiters = self.writabilityWaiters
        self.writabilityWaiters = []
        waiters.forEach { $0.succeed() }
    }

    func connectionClosed() {
        self.connectionGone = true
        let waiters = self.writabilityWaiters
        self.writabilityWaiters = []
        waiters.forEach { $0.fail(ConnectionClosed()) }
    }
}
