import AioWire
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import AioServer

struct ResponseStateTests {
    /// A write that closes the connection on the spot (the peer had reset it) must not leave
    /// the handler waiting for writability that never returns: that kept a request loop, and
    /// with it the server's shutdown, waiting forever.
    @Test func waitingAfterTheConnectionClosedFailsAtOnce() throws {
        let loop = EmbeddedEventLoop()
        let state = ResponseState(
            request: HTTPRequestHead(request: HTTPRequest(method: .get, scheme: nil, authority: "t", path: "/")),
            method: .get,
            sequence: 0,
            observed: false,
            logged: false
        )
        let before = state.waitForWritability(on: loop)
        state.connectionClosed()
        let after = state.waitForWritability(on: loop)
        for future in [before, after] {
            let outcome = NIOLockedValueBox<Result<Void, any Error>?>(nil)
            future.whenComplete { result in outcome.withLockedValue { $0 = result } }
            loop.run()
            #expect(throws: ConnectionClosed.self) { try #require(outcome.withLockedValue { $0 }).get() }
        }
    }
}
