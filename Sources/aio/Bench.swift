import AioHTTP
import ArgumentParser
import Foundation
import Histogram
import HTTPTypes
import NIOCore

/// `aio bench`: a keep-alive load generator on ``ClientSession``, the client's own speed made
/// visible, as wrk or `ab -k`.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load a URL with keep-alive requests and report throughput and latency.",
        discussion: """
            Each of --connections tasks sends a request, reads the whole response and sends the \
            next, for --duration seconds, over one session whose pool holds as many connections. \
            Latency percentiles come from an HdrHistogram (microsecond resolution).
            """
    )

    @Argument(help: "The URL to load.")
    var url: String

    @Option(name: .shortAndLong, help: "Concurrent requests (and connections).")
    var connections = 64

    @Option(name: .shortAndLong, help: "How long to run, in seconds.")
    var duration = 10.0

    @Option(name: .shortAndLong, help: "The request method.")
    var method = "GET"

    @Option(name: .customLong("header"), help: "A header field, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Flag(help: "Print one JSON object instead of a summary.")
    var json = false

    func run() async throws {
        guard let method = HTTPRequest.Method(self.method.uppercased()) else { throw ValidationError("'\(self.method)' is not a method") }
        guard self.connections > 0, self.duration > 0 else { throw ValidationError("--connections and --duration must be positive") }
        let fields = try HeaderOption.fields(self.headers)
        let url = self.url
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(self.duration * 1000))
        let session = try ClientSession(connector: ClientConnector(limit: self.connections))
        let results = try await withThrowingTaskGroup(of: Tally.self) { group in
            for _ in 0..<self.connections {
                group.addTask { [fields] in
                    var tally = Tally()
                    while ContinuousClock.now < deadline {
                        let began = ContinuousClock.now
                        do {
                            let response = try await session.request(method, url, headers: fields)
                            let body = try await response.read()
                            tally.bytes += body.readableBytes
                            if response.status.code >= 400 { tally.errors += 1 }
                        } catch {
                            tally.errors += 1
                            if tally.firstError == nil { tally.firstError = "\((error as? any ClientError)?.name ?? "\(type(of: error))"): \(error)" }
                        }
                        let elapsed = ContinuousClock.now - began
                        _ = tally.latency.record(UInt64(max(1, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)))
                    }
                    return tally
                }
            }
            return try await group.reduce(into: Tally()) { $0.add($1) }
        }
        let seconds = (ContinuousClock.now - start).seconds
        await session.close()
        self.report(results, seconds: seconds)
    }

    private func report(_ tally: Tally, seconds: Double) {
        let requests = Int(tally.latency.totalCount)
        func milliseconds(_ percentile: Double) -> Double {
            Double(percentile >= 100 ? tally.latency.max : tally.latency.valueAtPercentile(percentile)) / 1000
        }
        if self.json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("requests")
            writer.number(requests)
            writer.key("errors")
            writer.number(tally.errors)
            writer.key("requests_per_second")
            writer.number((Double(requests) / seconds * 10).rounded() / 10)
            writer.key("transfer_bytes_per_second")
            writer.number((Double(tally.bytes) / seconds).rounded())
            writer.key("latency_ms")
            writer.beginObject()
            for (name, percentile) in [("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("max", 100.0)] {
                writer.key(name)
                writer.number(milliseconds(percentile))
            }
            writer.endObject()
            writer.endObject()
            print(writer.text)
        } else {
            print(String(format: "%d requests in %.2f s, %d errors", requests, seconds, tally.errors))
            print(String(format: "Requests/s: %.1f   Transfer: %.2f MB/s", Double(requests) / seconds, Double(tally.bytes) / seconds / 1e6))
            print(String(format: "Latency (ms): p50 %.3f  p90 %.3f  p99 %.3f  max %.3f", milliseconds(50), milliseconds(90), milliseconds(99), milliseconds(100)))
        }
        if let first = tally.firstError {
            FileHandle.standardError.write(Data("first error: \(first)\n".utf8))
        }
    }
}

/// What one load task counted.
struct Tally: Sendable {
    var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000)
    var errors = 0
    var bytes = 0
    var firstError: String?

    mutating func add(_ other: Tally) {
        self.latency.add(other.latency)
        self.errors += other.errors
        self.bytes += other.bytes
        self.firstError = self.firstError ?? other.firstError
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18 }
}
