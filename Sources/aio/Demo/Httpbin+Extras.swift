import AioHTTP
import Crypto
import HTTPTypes
import NIOConcurrencyHelpers

extension Httpbin {
    /// What `aio serve` adds to httpbin: `/discard` reads a body of any size as it arrives and
    /// reports its length and SHA-256 without keeping it; `/stats` counts requests in flight.
    static func registerExtras(_ app: Application) throws {
        let inFlight = NIOLockedValueBox(0)
        try app.onRequestStart.append { _ in inFlight.withLockedValue { $0 += 1 } }
        try app.onRequestEnd.append { _, _ in inFlight.withLockedValue { $0 -= 1 } }
        app.router.get("/stats") { _ in
            // The request asking is in flight too.
            .httpbin(.object(["in_flight": .number(Double(inFlight.withLockedValue { $0 } - 1))]))
        }
        for method in [HTTPRequest.Method.post, .put] {
            app.router.route(method, "/discard") { request in
                var hasher = SHA256()
                var count = 0
                for try await piece in request.body {
                    count += piece.readableBytes
                    piece.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                }
                return .httpbin(.object(["bytes": .number(Double(count)), "sha256": .string(Hex.string(hasher.finalize()))]))
            }
        }
    }
}
