import AioWebSocket
import Benchmark
import NIOCore
import NIOWebSocket

/// Masking a 1 MiB payload in place, as every client frame and every frame a server reads needs:
/// AioWebSocket's `WSMaskingKey.apply` against NIOWebSocket's `webSocketMask` (what Vapor's
/// websocket-kit and Hummingbird's WebSocket build on). Bytes per second is 1 MiB ÷ the time.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        maxDuration: .seconds(3),
        maxIterations: 10000
    )
    let size = 1 << 20
    var payload = ByteBuffer(repeating: 0x5A, count: size)
    Benchmark("aio: mask 1 MiB") { benchmark in
        let key = WSMaskingKey(0x37, 0xFA, 0x21, 0x3D)
        for _ in benchmark.scaledIterations {
            key.apply(to: &payload)
        }
        blackHole(payload.getInteger(at: size - 1, as: UInt8.self))
    }
    var nioPayload = ByteBuffer(repeating: 0x5A, count: size)
    Benchmark("NIOWebSocket: mask 1 MiB") { benchmark in
        let key = WebSocketMaskingKey([0x37, 0xFA, 0x21, 0x3D])!
        for _ in benchmark.scaledIterations {
            nioPayload.webSocketMask(key)
        }
        blackHole(nioPayload.getInteger(at: size - 1, as: UInt8.self))
    }
}
