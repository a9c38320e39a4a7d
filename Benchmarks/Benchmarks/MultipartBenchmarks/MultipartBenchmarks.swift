import AioMultipart
import Benchmark
import HTTPTypes
import MultipartKit
import NIOCore

/// The same bodies parsed by AioMultipart's streaming reader and by MultipartKit's parser:
/// every part's headers and bytes reach the caller, fed in 64 KiB buffers as a socket gives them.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal, .throughput, .wallClock, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 1000
    )

    let files = Body.files()
    let form = Body.form()
    for body in [files, form] {
        Benchmark("aio: \(body.name)", configuration: .init(scalingFactor: body.scaling)) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let reader = try MultipartReader(boundary: Body.boundary, body: Slices(body.slices))
                var parts = 0
                var bytes = 0
                while let next = try await reader.next() {
                    guard case .part(let part) = next else { continue }
                    if body.asText {
                        bytes += try await part.text().utf8.count
                    } else {
                        while let chunk = try await part.readChunk() { bytes += chunk.readableBytes }
                    }
                    parts += 1
                }
                precondition(parts == body.parts && bytes == body.payloadBytes, "aio read \(parts) parts, \(bytes) bytes")
            }
            benchmark.stopMeasurement()
        }
        Benchmark("MultipartKit: \(body.name)", configuration: .init(scalingFactor: body.scaling)) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let parser = MultipartParser(boundary: Body.boundary)
                var parts = 0
                var bytes = 0
                var headers: [(String, String)] = []
                var text = ByteBuffer()
                parser.onHeader = { headers.append(($0, $1)) }
                parser.onBody = { chunk in
                    if body.asText { text.writeBuffer(&chunk) } else { bytes += chunk.readableBytes }
                }
                parser.onPartComplete = {
                    if body.asText {
                        bytes += String(buffer: text).utf8.count
                        text.clear()
                    }
                    headers.removeAll()
                    parts += 1
                }
                for slice in body.slices { try parser.execute(slice) }
                precondition(parts == body.parts && bytes == body.payloadBytes, "MultipartKit read \(parts) parts, \(bytes) bytes")
            }
            benchmark.stopMeasurement()
        }
    }
}

/// A body and what reading it must give.
struct Body: Sendable {
    static let boundary = "----aio-benchmark-7MA4YWxkTrZu0gW"
    let name: String
    let slices: [ByteBuffer]
    let parts: Int
    let payloadBytes: Int
    /// Whether parts are read as text fields (a form) or streamed (files).
    let asText: Bool
    /// Whether one iteration is one parse (large bodies) or a thousand (small ones).
    let perThousand: Bool
    var scaling: BenchmarkScalingFactor { self.perThousand ? .kilo : .one }

    /// 100 MiB: ten 10 MiB files of random bytes.
    static func files() -> Body {
        var generator = SystemRandomNumberGenerator()
        var file = ByteBuffer()
        for _ in 0..<((10 << 20) / 8) { file.writeInteger(generator.next() as UInt64) }
        var body = ByteBuffer()
        for index in 0..<10 {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\(index)\"; filename=\"f\(index).bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeImmutableBuffer(file)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return Body(name: "100 MiB, 10 files", slices: Self.slices(body), parts: 10, payloadBytes: 100 << 20, asText: false, perThousand: false)
    }

    /// A small form: twenty text fields.
    static func form() -> Body {
        var body = ByteBuffer()
        var total = 0
        for index in 0..<20 {
            let value = "value number \(index) with some text"
            total += value.utf8.count
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"field\(index)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return Body(name: "20 text fields", slices: Self.slices(body), parts: 20, payloadBytes: total, asText: true, perThousand: true)
    }

    /// `body` in 64 KiB pieces sharing its storage.
    static func slices(_ body: ByteBuffer) -> [ByteBuffer] {
        var body = body
        var slices: [ByteBuffer] = []
        while body.readableBytes > 0 { slices.append(body.readSlice(length: min(65536, body.readableBytes))!) }
        return slices
    }
}

/// Buffers handed out one after another, as a request body is.
struct Slices: AsyncSequence, Sendable {
    let slices: [ByteBuffer]
    init(_ slices: [ByteBuffer]) { self.slices = slices }

    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: IndexingIterator<[ByteBuffer]>
        mutating func next() async throws -> ByteBuffer? { self.iterator.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: self.slices.makeIterator()) }
}
