import NIOCore
import NIOPosix

/// A TCP server on 127.0.0.1 that plays a script on each connection: for the client's faults
/// (closes mid-body, silence, malformed answers) that a real server would never produce.
final class RawServer: Sendable {
    /// One accepted connection's bytes.
    typealias Script = @Sendable (inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, NIOAsyncChannelOutboundWriter<ByteBuffer>, Int) async throws -> Void

    let port: Int
    private let channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let task: Task<Void, Never>

    private init(port: Int, channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, task: Task<Void, Never>) {
        self.port = port
        self.channel = channel
        self.task = task
    }

    /// Starts a server whose `n`-th connection (from 0) runs `script(&inbound, outbound, n)`,
    /// then closes.
    static func start(_ script: @escaping Script) async throws -> RawServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        let port = channel.channel.localAddress?.port ?? 0
        let task = Task {
            _ = try? await channel.executeThenClose { inbound in
                await withDiscardingTaskGroup { group in
                    var index = 0
                    do {
                        for try await connection in inbound {
                            let number = index
                            index += 1
                            group.addTask {
                                try? await connection.executeThenClose { inbound, outbound in
                                    var iterator = inbound.makeAsyncIterator()
                                    try await script(&iterator, outbound, number)
                                }
                            }
                        }
                    } catch {}
                }
            }
        }
        return RawServer(port: port, channel: channel, task: task)
    }

    var url: String { "http://127.0.0.1:\(self.port)" }

    /// Stops accepting and waits for the running scripts.
    func stop() async {
        try? await self.channel.channel.close()
        self.task.cancel()
        await self.task.value
    }
}

extension NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator {
    /// Reads until a whole request head has arrived (through its empty line); nil at the end of
    /// the connection.
    mutating func readHead() async throws -> String? {
        var text = ""
        while !text.contains("\r\n\r\n") {
            guard let piece = try await self.next() else { return nil }
            text += String(buffer: piece)
        }
        return text
    }
}

extension NIOAsyncChannelOutboundWriter<ByteBuffer> {
    /// Writes `text` as it is.
    func write(_ text: String) async throws {
        try await self.write(ByteBuffer(string: text))
    }
}
