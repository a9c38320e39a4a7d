import NIOCore

/// A single-step decoder that may owe events when its input is used up: after a head with no
/// body, its `end` follows without another byte.
///
/// `ByteToMessageHandler` stops calling `decode(buffer:)` once the buffer is empty, so the
/// parsers implement its `decode(context:buffer:)` themselves, decoding until nil.
/// `NIOSingleStepByteToMessageProcessor` and ``AioStreams`` already loop until nil.
protocol DrainingDecoder: NIOSingleStepByteToMessageDecoder {}

extension DrainingDecoder {
    /// Fires every event the buffered bytes give, in order.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        while let event = try self.decode(buffer: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(event))
        }
        return .needMoreData
    }

    /// Fires every event the end of input gives, in order.
    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while let event = try self.decodeLast(buffer: &buffer, seenEOF: seenEOF) {
            context.fireChannelRead(Self.wrapInboundOut(event))
        }
        return .needMoreData
    }
}
