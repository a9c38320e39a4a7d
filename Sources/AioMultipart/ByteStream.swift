import NIOCore

/// Any `AsyncSequence` of `ByteBuffer`s behind one concrete type, so the multipart reader is
/// compiled once, specialised, instead of generic over every body type: one indirect call per
/// piece of input buys that.
struct ByteStream: AsyncSequence {
    typealias Element = ByteBuffer

    /// Holds the source's iterator, which the closure advances.
    private final class Box<Iterator: AsyncIteratorProtocol> where Iterator.Element == ByteBuffer {
        var iterator: Iterator
        init(_ iterator: Iterator) { self.iterator = iterator }
        func next() async throws -> ByteBuffer? { try await self.iterator.next(isolation: #isolation) }
    }

    private let next: () async throws -> ByteBuffer?

    init<Source: AsyncSequence>(_ source: Source) where Source.Element == ByteBuffer {
        let box = Box(source.makeAsyncIterator())
        self.next = { try await box.next() }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let next: () async throws -> ByteBuffer?
        mutating func next() async throws -> ByteBuffer? { try await self.next() }
    }

    /// Iterates the source once: every iterator shares its position.
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(next: self.next) }
}
