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

    // PROXY protocol headers as balancers send them (no peer in Swift does this work): v2 for
    // TCP over IPv4 with the ALPN, authority and unique-id TLVs HAProxy adds, and v1 for TCP6.
    var v2: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11]
    var block: [UInt8] = [203, 0, 113, 7, 192, 0, 2, 1, 0xA0, 0x28, 0x01, 0xBB]
    block += [0x01, 0, 8] + Array("http/1.1".utf8)
    block += [0x02, 0, 15] + Array("api.example.com".utf8)
    block += [0x05, 0, 16] + Array("0123456789abcdef".utf8)
    v2 += [UInt8(block.count >> 8), UInt8(block.count & 0xFF)] + block
    let v1 = Array("PROXY TCP6 2001:db8:85a3::8a2e:370:7334 2001:db8::1 41000 443\r\n".utf8)
    for (name, header) in [("PROXY v2 TCP4 with TLVs", v2), ("PROXY v1 TCP6", v1)] {
        let bytes = ByteBuffer(bytes: header)
        Benchmark("AioWire: \(name)") { benchmark in
            let decoder = ProxyProtocolDecoder()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var buffer = bytes
                blackHole(try decoder.decode(buffer: &buffer))
            }
            benchmark.stopMeasurement()
        }
    }
}
