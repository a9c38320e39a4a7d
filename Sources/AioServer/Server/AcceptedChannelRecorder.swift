import NIOCore

/// The connections a server has accepted and not seen close: kept from the moment the listener
/// accepts each (before it is set up), so that a shutdown can close them and wait for all of
/// them. Once `forced`, a connection accepted later is closed at once.
struct AcceptedChannels {
    var open: [ObjectIdentifier: any Channel] = [:]
    var forced = false
}

/// A handler of the listening channel that hands each accepted channel to `record` and passes
/// it on; it sits after NIOExtras' quiescing handler, so that the callbacks `record` adds to a
/// channel's close run after the quiescing helper's.
final class AcceptedChannelRecorder: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let record: (any Channel) -> Void

    init(record: @escaping (any Channel) -> Void) {
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.record(Self.unwrapInboundIn(data))
        context.fireChannelRead(data)
    }
}
