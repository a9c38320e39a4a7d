import AioHTTP
import Crypto
import HTTPTypes
import NIOConcurrencyHelpers

extension Httpbin {
    /// What `aio serve` adds to httpbin: `/discard` reads a body of any size as it arrives and
    /// reports its length and SHA-256 without keeping it; `/stats` counts requests in flight
    /// (from their arrival to their response, counted by a middleware that never suspends, so
    /// that synchronous handlers still answer on the spot); `/health` answers 200 for load
    /// balancers' checks.
    static func registerExtras(_ app: Application) throws {
        let inFlight = NIOLockedValueBox(0)
        try app.use(
            .synchronous(
                request: { _ in
                    inFlight.withLockedValue { $0 += 1 }
                    return nil
                },
                response: { _, _ in inFlight.withLockedValue { $0 -= 1 } },
                error: { _, error in
                    inFlight.withLockedValue { $0 -= 1 }
                    throw error
                }
            )
        )
        app.router.get("/stats") { _ in
            // The request asking is in flight too.
            .httpbin(.object(["in_flight": .number(Double(inFlight.withLockedValue { $0 } - 1))]))
        }
        app.router.get("/health") { _ in .httpbin(.object(["status": .string("ok")])) }
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
