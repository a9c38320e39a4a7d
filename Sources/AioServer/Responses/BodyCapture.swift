import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore

/// A response body kept in memory by a ``ResponseBodyWriter`` made for in-process tests.
package final class BodyCapture: Sendable {
    private let state = NIOLockedValueBox<(body: ByteBuffer, trailers: HTTPFields?, finished: Bool)>((ByteBuffer(), nil, false))

    package init() {}

    func append(_ buffer: ByteBuffer) {
        self.state.withLockedValue { state in
            var buffer = buffer
            state.body.writeBuffer(&buffer)
        }
    }

    func finish(trailers: HTTPFields?) {
        self.state.withLockedValue { $0.trailers = trailers; $0.finished = true }
    }

    /// The body written, its trailers, and whether it was finished.
    package var result: (body: ByteBuffer, trailers: HTTPFields?, finished: Bool) {
        self.state.withLockedValue { $0 }
    }
}
