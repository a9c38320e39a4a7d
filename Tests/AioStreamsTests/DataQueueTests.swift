import AioStreams
import NIOConcurrencyHelpers
import Testing

@Suite("DataQueue")
struct DataQueueTests {
    @Test func valuesThenEnd() async throws {
        let (queue, feeder) = DataQueue<Int>.makeQueue()
        for value in 0..<5 { feeder.feed(value) }
        feeder.feedEOF()
        var received: [Int] = []
        for try await value in queue { received.append(value) }
        #expect(received == [0, 1, 2, 3, 4])
    }

    @Test func readThrowsEOFStream() async throws {
        let (queue, feeder) = DataQueue<Int>.makeQueue()
        feeder.feed(1)
        feeder.feedEOF()
        var iterator = queue.makeAsyncIterator()
        #expect(try await iterator.read() == 1)
        await #expect(throws: EOFStream.self) { try await iterator.read() }
    }

    struct Boom: Error, Equatable {}

    @Test func failureAfterValues() async throws {
        let (queue, feeder) = DataQueue<Int>.makeQueue()
        feeder.feed(1)
        feeder.fail(Boom())
        var iterator = queue.makeAsyncIterator()
        #expect(try await iterator.next() == 1)
        await #expect(throws: Boom()) { try await iterator.next() }
    }

    /// At the high watermark the feeder says stop; demand returns below the low watermark.
    @Test func backPressure() async throws {
        let demands = NIOLockedValueBox(0)
        let (queue, feeder) = DataQueue<Int>.makeQueue(lowWatermark: 2, highWatermark: 4, onDemand: {
            demands.withLockedValue { $0 += 1 }
        })
        #expect((0..<3).map { feeder.feed($0) } == [.produceMore, .produceMore, .produceMore])
        #expect(feeder.feed(3) == .stopProducing)
        var iterator = queue.makeAsyncIterator()
        #expect(try await iterator.next() == 0)
        #expect(try await iterator.next() == 1)
        #expect(demands.withLockedValue { $0 } == 0, "still at the low watermark")
        #expect(try await iterator.next() == 2)
        await feeder.waitForDemand()
        #expect(demands.withLockedValue { $0 } == 1)
        #expect(feeder.feed(4) == .produceMore)
    }

    /// A producer that honours `stopProducing` never runs ahead of a slow consumer by more than
    /// the high watermark, and nothing is lost or reordered.
    @Test func producerAndConsumerConcurrently() async throws {
        let (queue, feeder) = DataQueue<Int>.makeQueue(lowWatermark: 4, highWatermark: 16)
        let consumed = NIOLockedValueBox(0)
        let maxAhead = NIOLockedValueBox(0)
        let count = 20_000
        let producer = Task {
            for value in 0..<count {
                let ahead = value - consumed.withLockedValue { $0 }
                maxAhead.withLockedValue { $0 = max($0, ahead) }
                if feeder.feed(value) == .stopProducing {
                    await feeder.waitForDemand()
                }
            }
            feeder.feedEOF()
        }
        var expected = 0
        for try await value in queue {
            #expect(value == expected)
            expected += 1
            consumed.withLockedValue { $0 += 1 }
            if expected % 7 == 0 { await Task.yield() }
        }
        await producer.value
        #expect(expected == count)
        #expect(maxAhead.withLockedValue { $0 } <= 17)
    }

    @Test func consumerGoneDropsValues() async throws {
        let terminated = NIOLockedValueBox(false)
        var (queue, feeder): (DataQueue<Int>?, DataQueue<Int>.Feeder) = DataQueue<Int>.makeQueue(onTermination: {
            terminated.withLockedValue { $0 = true }
        })
        _ = queue
        queue = nil
        #expect(terminated.withLockedValue { $0 })
        #expect(feeder.feed(1) == .dropped)
        #expect(feeder.isTerminated)
        await feeder.waitForDemand()  // returns at once: nobody will ever ask for more
    }
}
