import AioWire
import Benchmark
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import WireInputs

let benchmarks: @Sendable () -> Void = {
    // Each sample parses the input a thousand times, so metrics are per parse and the
    // harness's own allocations are spread thin.
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal, .throughput, .wallClock],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    for input in Inputs.all {
        let bytes = ByteBuffer(string: input.text)

        for side in Side.allCases {
            Benchmark("\(side.rawValue): \(input.name)") { benchmark in
                let runner = try side.makeRunner()
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let requests = try runner.parse(bytes)
                    precondition(requests == input.requests)
                }
                benchmark.stopMeasurement()
                try runner.finish()
            }
        }
    }
}
