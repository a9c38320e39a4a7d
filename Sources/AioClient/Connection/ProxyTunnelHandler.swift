import AioWire
import HTTPTypes
import NIOCore

/// Opens a `CONNECT` tunnel through an HTTP proxy (RFC 9110 §9.3.6): sends the request once
/// in the pipeline, reads the proxy's answer, and on a 2xx leaves the pipeline; any other answer
/// is an ``HTTPProxyError`` with the proxy's status and fields. Bytes right behind the answer
/// are an error: the client speaks first in the tunnel (TLS's hello).
final class ProxyTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let authority: String
    private let authorization: String?
    private var opened: EventLoopPromise<Void>?
    private var parser = HTTPResponseParser()
    private var buffer = ByteBuffer()

    init(authority: String, authorization: String?, opened: EventLoopPromise<Void>) {
        self.authority = authority
        self.authorization = authorization
        self.opened = opened
        self.parser.expectResponse(to: .connect)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        var fields = HTTPFields()
        if let authorization = self.authorization { fields[.proxyAuthorization] = authorization }
        var head = ByteBuffer()
        head.writeRequestHead(method: .connect, target: self.authority, authority: self.authority, fields: fields)
        context.writeAndFlush(NIOAny(head), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.buffer.writeBuffer(&bytes)
        do {
            while let event = try self.parser.decode(buffer: &self.buffer) {
                guard case .head(let head) = event else { continue }
                if head.isInformational { continue }
                let status = head.response.status
                guard status.kind == .successful else {
                    self.finish(.failure(HTTPProxyError(status: status, headers: head.response.headerFields)), context: context)
                    return
                }
                guard self.buffer.readableBytes == 0 else {
                    self.finish(.failure(ClientProxyConnectionError(host: "proxy", port: 0, underlying: UnexpectedTunnelBytes())), context: context)
                    return
                }
                self.finish(.success(()), context: context)
                return
            }
        } catch {
            self.finish(.failure(error), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.opened?.fail(ChannelError.eof)
        self.opened = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.opened?.fail(error)
        self.opened = nil
        context.fireErrorCaught(error)
    }

    private func finish(_ result: Result<Void, any Error>, context: ChannelHandlerContext) {
        guard let opened = self.opened else { return }
        self.opened = nil
        switch result {
        case .success:
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            opened.succeed(())
        case .failure(let error):
            opened.fail(error)
            context.close(promise: nil)
        }
    }
}

/// The proxy sent bytes behind its answer to `CONNECT`, before the client spoke in the tunnel.
struct UnexpectedTunnelBytes: Error, CustomStringConvertible {
    var description: String { "the proxy sent bytes behind its answer to CONNECT" }
}
