import AioWire
import NIOCore

/// The first handler of a connection on a PROXY protocol listener: refuses an untrusted peer at
/// once, reads the header (across as many reads as it takes, within the header timeout), tells
/// `onHeader` what it said, then hands every byte behind the header on as it comes.
final class ProxyProtocolHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let configuration: ProxyProtocolConfiguration
    private let decoder: ProxyProtocolDecoder
    private let onHeader: (ProxyProtocolHeader) -> Void
    private var buffer = ByteBuffer()
    private var timer: Scheduled<Void>?
    private var state = State.waiting

    private enum State {
        case waiting
        case passing
        case refused
    }

    init(configuration: ProxyProtocolConfiguration, onHeader: @escaping (ProxyProtocolHeader) -> Void) {
        self.configuration = configuration
        self.decoder = ProxyProtocolDecoder(maxLength: configuration.maxLength)
        self.onHeader = onHeader
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard self.timer == nil, case .waiting = self.state else { return }
        guard self.configuration.trustedNetworks.contains(context.channel.remoteAddress) else {
            self.state = .refused
            context.close(promise: nil)
            return
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(in: TimeAmount(self.configuration.headerTimeout)) {
            loopBound.value.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .passing:
            context.fireChannelRead(data)
        case .refused:
            break
        case .waiting:
            var bytes = self.unwrapInboundIn(data)
            self.buffer.writeBuffer(&bytes)
            do {
                guard let header = try self.decoder.decode(buffer: &self.buffer) else { return }
                self.state = .passing
                self.timer?.cancel()
                self.onHeader(header)
                let rest = self.buffer
                self.buffer = ByteBuffer()
                if rest.readableBytes > 0 { context.fireChannelRead(self.wrapInboundOut(rest)) }
            } catch {
                self.state = .refused
                self.timer?.cancel()
                context.close(promise: nil)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .refused = self.state { return }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        context.fireChannelInactive()
    }
}
