import NIOConcurrencyHelpers
import NIOCore

/// A bounded async queue of parsed values with back-pressure: aiohttp's `DataQueue`.
///
/// A producer (a parser fed by a socket) ``Feeder/feed(_:)``s values and learns from the result
/// when the queue holds `highWatermark` values and it should stop reading; once the consumer has
/// drained it below `lowWatermark`, ``Feeder/waitForDemand()`` returns and the `onDemand`
/// callback runs, so reading can resume. The consumer iterates the queue (once) or calls
/// ``Iterator/read()``. Built on SwiftNIO's `NIOThrowingAsyncSequenceProducer`.
///
/// ```swift
/// let (queue, feeder) = DataQueue<Message>.makeQueue(lowWatermark: 2, highWatermark: 8)
/// // producer
/// if feeder.feed(message) == .stopProducing { await feeder.waitForDemand() }
/// feeder.feedEOF()
/// // consumer
/// for try await message in queue { handle(message) }
/// ```
public struct DataQueue<Element: Sendable>: AsyncSequence, Sendable {
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        Element, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, DemandSignal
    >

    private let producer: Producer

    /// Makes a queue and the feeder that fills it.
    ///
    /// - Parameters:
    ///   - lowWatermark: demand returns once fewer values than this are queued.
    ///   - highWatermark: feeding reports ``Feeder/FeedResult/stopProducing`` once this many are.
    ///   - onDemand: called (on the consumer's thread) when a stopped producer may go on.
    ///   - onTermination: called once when the consumer has gone or has read the end.
    public static func makeQueue(
        lowWatermark: Int = 2,
        highWatermark: Int = 16,
        onDemand: (@Sendable () -> Void)? = nil,
        onTermination: (@Sendable () -> Void)? = nil
    ) -> (queue: DataQueue, feeder: Feeder) {
        let signal = DemandSignal(onDemand: onDemand, onTermination: onTermination)
        let made = Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: lowWatermark, highWatermark: highWatermark),
            finishOnDeinit: true,
            delegate: signal
        )
        return (DataQueue(producer: made.sequence), Feeder(source: made.source, signal: signal))
    }

    /// Values in order, then the end, or the error given to ``Feeder/fail(_:)``.
    public func makeAsyncIterator() -> Iterator {
        Iterator(base: self.producer.makeAsyncIterator())
    }

    /// The single consumer of a ``DataQueue``.
    public struct Iterator: AsyncIteratorProtocol {
        private var base: Producer.AsyncIterator

        init(base: Producer.AsyncIterator) {
            self.base = base
        }

        /// The next value, or nil after the end.
        public mutating func next() async throws -> Element? {
            try await self.base.next(isolation: #isolation)
        }

        /// The next value; throws ``EOFStream`` after the end, as aiohttp's `read()`.
        public mutating func read() async throws -> Element {
            guard let element = try await self.base.next(isolation: #isolation) else { throw EOFStream() }
            return element
        }
    }

    /// The producer side of a ``DataQueue``.
    public struct Feeder: Sendable {
        /// What the producer should do after feeding a value.
        public enum FeedResult: Sendable, Hashable {
            /// Keep going.
            case produceMore
            /// The queue is full: stop reading until demand returns.
            case stopProducing
            /// The consumer has gone or the queue has ended; the value was dropped.
            case dropped
        }

        private let source: Producer.Source
        private let signal: DemandSignal

        init(source: Producer.Source, signal: DemandSignal) {
            self.source = source
            self.signal = signal
        }

        /// Queues `element`.
        @discardableResult
        public func feed(_ element: Element) -> FeedResult {
            let generation = self.signal.generation
            switch self.source.yield(element) {
            case .produceMore: return .produceMore
            case .stopProducing:
                self.signal.stopped(since: generation)
                return .stopProducing
            case .dropped: return .dropped
            }
        }

        /// Ends the queue normally: the consumer sees the end once it has read every value.
        public func feedEOF() {
            self.source.finish()
        }

        /// Ends the queue with `error`, thrown to the consumer after the queued values.
        public func fail(_ error: any Error) {
            self.source.finish(error)
        }

        /// Suspends a producer told to stop until the consumer wants more, or has gone.
        public func waitForDemand() async {
            await self.signal.waitForDemand()
        }

        /// Whether the consumer has gone or the queue has been read to its end.
        public var isTerminated: Bool { self.signal.isTerminated }
    }
}

/// Tells a stopped producer when to go on; the delegate of the underlying NIO sequence.
///
/// `produceMore` can run on the consumer's thread between a `yield` that answered
/// `stopProducing` and the producer noticing it, so demand is counted in generations: a stop
/// only sticks if no `produceMore` came since the producer read the generation before yielding.
final class DemandSignal: NIOAsyncSequenceProducerDelegate, Sendable {
    private struct State {
        var generation = 0
        var stopped = false
        var terminated = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())
    private let onDemand: (@Sendable () -> Void)?
    private let onTermination: (@Sendable () -> Void)?

    init(onDemand: (@Sendable () -> Void)?, onTermination: (@Sendable () -> Void)?) {
        self.onDemand = onDemand
        self.onTermination = onTermination
    }

    var isTerminated: Bool { self.state.withLockedValue { $0.terminated } }

    /// How many times demand has returned.
    var generation: Int { self.state.withLockedValue { $0.generation } }

    /// Records that a yield made in `generation` answered `stopProducing`.
    func stopped(since generation: Int) {
        self.state.withLockedValue { state in
            if state.generation == generation {
                state.stopped = true
            }
        }
    }

    func produceMore() {
        let waiters = self.state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.generation += 1
            state.stopped = false
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
        self.onDemand?()
    }

    func didTerminate() {
        let waiters = self.state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.terminated = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
        self.onTermination?()
    }

    func waitForDemand() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLockedValue { state -> Bool in
                if state.terminated || !state.stopped { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
