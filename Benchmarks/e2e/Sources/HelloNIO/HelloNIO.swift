import NIOCore
import NIOHTTP1
import NIOPosix

/// `HelloNIO PORT THREADS`: the same two routes on a bare NIOHTTP1 pipeline, the floor every
/// Swift framework builds on.
@main
enum HelloNIO {
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
        let group = MultiThreadedEventLoopGroup(numberOfThreads: Int(arguments[2])!)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler())
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: Int(arguments[1])!).wait()
        try channel.closeFuture.wait()
    }
}
