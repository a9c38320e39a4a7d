import AioHTTP
import Foundation
import NIOCore
import NIOPosix

/// `WSLoad URL CONNECTIONS SIZE SECONDS`: echo round trips per second against a WebSocket echo
/// server: each connection sends a binary message of SIZE bytes and waits for its echo, again
/// and again, for SECONDS. The same client for every server, on one event loop, without
/// compression.
@main
enum WSLoad {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let url = arguments[1]
        let connections = Int(arguments[2])!
        let size = Int(arguments[3])!
        let seconds = Double(arguments[4])!
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let payload = ByteBuffer(repeating: 0x61, count: size)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let configuration = WebSocketConfiguration(maxMessageSize: max(size * 2, 1 << 20))
        let total = try await withThrowingTaskGroup(of: Int.self) { tasks in
            for _ in 0..<connections {
                tasks.addTask {
                    try await WebSocketClient.connect(url, compress: false, configuration: configuration, eventLoopGroup: group) { ws in
                        var count = 0
                        while ContinuousClock.now < deadline {
                            try await ws.send(binary: payload)
                            let echo = try await ws.receive()
                            precondition(echo.type == .binary && echo.data.readableBytes == size, "bad echo \(echo.type)")
                            count += 1
                        }
                        return count
                    }
                }
            }
            var total = 0
            for try await count in tasks { total += count }
            return total
        }
        print(String(format: "%.0f", Double(total) / seconds))
        try await group.shutdownGracefully()
    }
}
