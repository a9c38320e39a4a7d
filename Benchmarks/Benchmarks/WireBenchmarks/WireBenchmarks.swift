import AioWire
import Benchmark
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The same inputs for both sides.
enum Inputs {
    static let browserGet = """
        GET /api/v1/items?page=2&sort=desc HTTP/1.1\r
        Host: www.example.com\r
        Connection: keep-alive\r
        Cache-Control: max-age=0\r
        sec-ch-ua: "Chromium";v="120", "Not?A_Brand";v="24"\r
        sec-ch-ua-mobile: ?0\r
        sec-ch-ua-platform: "Linux"\r
        Upgrade-Insecure-Requests: 1\r
        User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r
        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
        Accept-Encoding: gzip, deflate, br\r
        Accept-Language: en-US,en;q=0.9\r
        Cookie: session=abc123def456; theme=dark\r
        \r

        """

    static let post1K =
        "POST /api/v1/items HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n"
        + "Content-Type: application/json\r\nContent-Length: 1024\r\n\r\n" + String(repeating: "x", count: 1024)

    static let chunked64K: String = {
        var text = "POST /upload HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.5.0\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<16 {
            text += "1000\r\n" + String(repeating: "y", count: 4096) + "\r\n"
        }
        return text + "0\r\n\r\n"
    }()

    static let pipelined16: String = (0..<16).map {
        "GET /item/\($0) HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n"
    }.joined()

    static let all: [(name: String, text: String, requests: Int)] = [
        ("browser GET", browserGet, 1),
        ("POST 1 KiB", post1K, 1),
        ("chunked 64 KiB", chunked64K, 1),
        ("16 pipelined GETs", pipelined16, 16),
    ]
}

/// Parses every request of `input` with AioWire's parser directly.
@inline(__always)
func parseDirect(_ parser: inout HTTPRequestParser, _ input: ByteBuffer) throws -> Int {
    var buffer = input
    var ends = 0
    while let event = try parser.decode(buffer: &buffer) {
        switch event {
        case .head(let head): blackHole(head)
        case .body(let body): blackHole(body)
        case .end: ends += 1
        }
    }
    return ends
}

/// Reads every part a channel produced, handing each to `blackHole`.
@inline(__always)
func drain<Part>(_ channel: EmbeddedChannel, as: Part.Type) throws {
    while let part = try channel.readInbound(as: Part.self) {
        blackHole(part)
    }
}

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

        Benchmark("AioWire parser: \(input.name)") { benchmark in
            var parser = HTTPRequestParser()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let ends = try parseDirect(&parser, bytes)
                precondition(ends == input.requests)
            }
        }

        Benchmark("AioWire in EmbeddedChannel: \(input.name)") { benchmark in
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestParser()))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                try channel.writeInbound(bytes)
                try drain(channel, as: HTTPParserEvent<AioWire.HTTPRequestHead>.self)
            }
            benchmark.stopMeasurement()
            _ = try channel.finish()
        }

        Benchmark("NIOHTTP1 + HTTPRequest conversion: \(input.name)") { benchmark in
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                try channel.writeInbound(bytes)
                try drain(channel, as: HTTPRequestPart.self)
            }
            benchmark.stopMeasurement()
            _ = try channel.finish()
        }
    }
}
