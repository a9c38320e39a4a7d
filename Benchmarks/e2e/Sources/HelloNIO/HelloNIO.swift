import NIOCore
import NIOHTTP1
import NIOPosix

/// `HelloNIO PORT THREADS [canned]`: the same two routes on a bare NIOHTTP1 pipeline, the floor
/// every Swift framework builds on. With `canned`, no HTTP at all: each request head that arrives
/// (counted by its blank line) is answered with the same prebuilt response, which measures what
/// SwiftNIO's channel machinery alone costs per request: the ceiling of any server built on it.
@main
enum HelloNIO {
    final class Canned: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        static let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\nHello, World!"

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = self.unwrapInboundIn(data)
            let heads = bytes.readableBytesView.withContiguousStorageIfAvailable { Self.countHeads($0) } ?? 0
            guard heads > 0 else { return }
            var buffer = context.channel.allocator.buffer(capacity: Self.response.utf8.count * heads)
            for _ in 0..<heads { buffer.writeString(Self.response) }
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        }

        /// The number of blank lines ending a head in `bytes` (a head never spans two reads here).
        static func countHeads(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            guard bytes.count >= 4 else { return 0 }
            var count = 0
            for index in 3..<bytes.count where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 {
                count += 1
            }
            return count
        }
    }

    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let request) = self.unwrapInboundIn(data) else { return }
            let json = request.uri == "/json"
            let body = json ? #"{"message":"Hello, World!"}"# : "Hello, World!"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: json ? "application/json" : "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))), promise: nil)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    static func main() throws {
        let arguments = CommandLine.arguments
        let canned = arguments.count > 3 && arguments[3] == "canned"
        let group = MultiThreadedEventLoopGroup(numberOfThreads: Int(arguments[2])!)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if canned {
                        try channel.pipeline.syncOperations.addHandler(Canned())
                    } else {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(Handler())
                    }
                }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: Int(arguments[1])!).wait()
        try channel.closeFuture.wait()
    }
}
