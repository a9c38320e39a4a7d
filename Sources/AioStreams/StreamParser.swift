import NIOConcurrencyHelpers
import NIOCore

/// Routes a byte stream through one parser at a time into that parser's ``DataQueue``:
/// aiohttp's `StreamParser`.
///
/// A transport ``feed(_:)``s bytes; the current parser (any SwiftNIO
/// `NIOSingleStepByteToMessageDecoder`, such as ``/AioWire/HTTPRequestParser``) turns them into
/// values for its queue. ``setParser(_:)`` switches parsers: bytes the old parser left unread
/// (say, the first WebSocket frame right behind an upgrade request) go to the new one.
/// ``unsetParser()`` gives the current parser end of input and ends its queue.
///
/// Back-pressure: when the current queue is full, ``feed(_:)`` answers false and bytes stay
/// buffered until ``waitForDemand()`` returns; ``run(reading:)`` does this for an async source,
/// so a slow consumer stops the reads behind it.
public final class StreamParser: Sendable {
    private struct State: Sendable {
        var buffer = ByteBuffer()
        var current: (any ParserSink)?
        var stopped = false
    }

    private let state = NIOLockedValueBox(State())
    private let lowWatermark: Int
    private let highWatermark: Int

    /// A stream parser whose queues use these watermarks.
    public init(lowWatermark: Int = 2, highWatermark: Int = 16) {
        self.lowWatermark = lowWatermark
        self.highWatermark = highWatermark
    }

    /// Bytes received but not consumed by any parser yet.
    public var buffered: ByteBuffer { self.state.withLockedValue { $0.buffer } }

    /// Makes `decoder` the current parser, first ending the previous one, feeds it the bytes
    /// already buffered, and returns the queue of what it decodes.
    public func setParser<Decoder: NIOSingleStepByteToMessageDecoder & Sendable>(
        _ decoder: Decoder
    ) -> DataQueue<Decoder.InboundOut> where Decoder.InboundOut: Sendable {
        let (queue, feeder) = DataQueue<Decoder.InboundOut>.makeQueue(
            lowWatermark: self.lowWatermark,
            highWatermark: self.highWatermark
        )
        self.state.withLockedValue { state in
            state.current?.finish(&state.buffer, seenEOF: false)
            var sink: any ParserSink = DecoderSink(decoder: decoder, feeder: feeder)
            state.stopped = !sink.drain(&state.buffer)
            state.current = sink
        }
        return queue
    }

    /// Ends the current parser: it sees end of input (`decodeLast` with `seenEOF: false`) and its
    /// queue ends. Bytes it leaves stay buffered for the next parser.
    public func unsetParser() {
        self.state.withLockedValue { state in
            state.current?.finish(&state.buffer, seenEOF: false)
            state.current = nil
            state.stopped = false
        }
    }

    /// Feeds bytes from the transport; false when the current queue is full and the transport
    /// should stop reading until ``waitForDemand()`` returns.
    @discardableResult
    public func feed(_ bytes: ByteBuffer) -> Bool {
        self.state.withLockedValue { state in
            if state.buffer.readableBytes == 0 {
                state.buffer = bytes
            } else {
                var bytes = bytes
                state.buffer.writeBuffer(&bytes)
            }
            if !state.stopped, var sink = state.current {
                state.stopped = !sink.drain(&state.buffer)
                state.current = sink
            }
            return !state.stopped
        }
    }

    /// The transport reached end of input: the current parser sees it and its queue ends.
    public func feedEOF() {
        self.state.withLockedValue { state in
            state.current?.finish(&state.buffer, seenEOF: true)
            state.current = nil
        }
    }

    /// The transport failed: the current queue ends with `error`.
    public func fail(_ error: any Error) {
        self.state.withLockedValue { state in
            state.current?.fail(error)
            state.current = nil
        }
    }

    /// Waits until the current queue wants more, decodes what was held back meanwhile, and
    /// returns once the transport may read again.
    public func waitForDemand() async {
        while let sink = self.state.withLockedValue({ $0.stopped ? $0.current : nil }) {
            await sink.waitForDemand()
            self.state.withLockedValue { state in
                guard var current = state.current else {
                    state.stopped = false
                    return
                }
                state.stopped = !current.drain(&state.buffer) && !current.isTerminated
                state.current = current
            }
        }
    }

    /// Reads `source` to its end through the current parser, with back-pressure, then calls
    /// ``feedEOF()`` (or ``fail(_:)`` with the source's error).
    public func run<Source: AsyncSequence>(reading source: Source) async throws where Source.Element == ByteBuffer {
        do {
            for try await bytes in source {
                if !self.feed(bytes) {
                    await self.waitForDemand()
                }
            }
            self.feedEOF()
        } catch {
            self.fail(error)
            throw error
        }
    }
}

/// A decoder and the feeder of its queue, behind an existential so that parsers of different
/// types can follow each other.
protocol ParserSink: Sendable {
    /// Decodes and queues values until more bytes are needed (true) or the queue is full (false).
    mutating func drain(_ buffer: inout ByteBuffer) -> Bool
    /// Decodes what end of input yields and ends the queue.
    mutating func finish(_ buffer: inout ByteBuffer, seenEOF: Bool)
    /// Ends the queue with `error`.
    func fail(_ error: any Error)
    func waitForDemand() async
    var isTerminated: Bool { get }
}

struct DecoderSink<Decoder: NIOSingleStepByteToMessageDecoder & Sendable>: ParserSink
where Decoder.InboundOut: Sendable {
    var decoder: Decoder
    let feeder: DataQueue<Decoder.InboundOut>.Feeder
    var failed = false

    mutating func drain(_ buffer: inout ByteBuffer) -> Bool {
        guard !self.failed else { return true }
        do {
            while let value = try self.decoder.decode(buffer: &buffer) {
                switch self.feeder.feed(value) {
                case .produceMore: continue
                case .stopProducing: return false
                case .dropped: return true
                }
            }
        } catch {
            self.fail(error)
            self.failed = true
        }
        return true
    }

    mutating func finish(_ buffer: inout ByteBuffer, seenEOF: Bool) {
        guard !self.failed else { return }
        do {
            while let value = try self.decoder.decodeLast(buffer: &buffer, seenEOF: seenEOF) {
                self.feeder.feed(value)
            }
            self.feeder.feedEOF()
        } catch {
            self.fail(error)
        }
        self.failed = true
    }

    func fail(_ error: any Error) {
        self.feeder.fail(error)
    }

    func waitForDemand() async {
        await self.feeder.waitForDemand()
    }

    var isTerminated: Bool { self.feeder.isTerminated }
}
