import AioHTTP
import AsyncHTTPClient
import Dispatch
import Foundation
import NIOCore
import NIOPosix

/// `ClientLoad aio|ahc URL CONCURRENCY SECONDS`: keep-alive GETs of URL for SECONDS from
/// CONCURRENCY tasks, each reading the whole body; prints requests per second, then the
/// process's CPU seconds. The same loop for swift-aiohttp's ClientSession and for
/// AsyncHTTPClient (HTTP/1 only, its per-host soft limit raised to the concurrency), each on one
/// event loop.
@main
enum ClientLoad {
    /// Runs in a task while the main thread waits on a semaphore: valgrind (to count a client's
    /// instructions per request) cannot run a process whose main thread parks in libdispatch.
    static func main() {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await self.load()
            } catch {
                fatalError("\(error)")
            }
            done.signal()
        }
        done.wait()
    }

    static func load() async throws {
        let arguments = CommandLine.arguments
        let client = arguments[1]
        let url = arguments[2]
        let concurrency = Int(arguments[3])!
        let seconds = Double(arguments[4])!
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let requests: Int
        switch client {
        case "aio":
            let session = try ClientSession(connector: ClientConnector(limit: concurrency, eventLoopGroup: group))
            requests = try await self.run(concurrency, until: deadline) {
                let response = try await session.get(url)
                let body = try await response.read()
                precondition(response.status.code == 200 && body.readableBytes > 0)
            }
            await session.close()
        case "ahc":
            var configuration = HTTPClient.Configuration()
            configuration.httpVersion = .http1Only
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
            configuration.decompression = .enabled(limit: .none)
            let http = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
            requests = try await self.run(concurrency, until: deadline) {
                let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 30)
                precondition(response.status.code == 200 && body.readableBytes > 0)
            }
            try await http.shutdown()
        default:
            fatalError("unknown client \(client)")
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        print(String(format: "%.0f %.3f", Double(requests) / seconds, cpu))
        try await group.shutdownGracefully()
    }

    /// Runs `request` in a loop on `concurrency` tasks until `deadline`; the requests done.
    static func run(_ concurrency: Int, until deadline: ContinuousClock.Instant, _ request: @escaping @Sendable () async throws -> Void) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { tasks in
            for _ in 0..<concurrency {
                tasks.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await request()
                        count += 1
                    }
                    return count
                }
            }
            return try await tasks.reduce(0, +)
        }
    }
}
