import NIOCore

/// Any `AsyncSequence` of `ByteBuffer`s behind one concrete type, so that a reader is compiled
/// once, specialised, instead of generic over every body type: one indirect call per piece of
/// input buys that. The multipart reader and the WebSocket read their input through it.
///
/// Iterate it from one task at a time: every iterator shares the one position in the source.
package struct ByteStream: AsyncSequence, @unchecked Sendable {
    // Safety: the source's iterator is advanced by one task at a time, as the type's contract
    // says; the multipart reader is not Sendable and a WebSocket reads from its one receiver.
    package typealias Element = ByteBuffer

    /// Holds the source's iterator, which the closure advances.
    private final class Box<Iterator: AsyncIteratorProtocol> where Iterator.Element == ByteBuffer {
        var iterator: Iterator
        init(_ iterator: Iterator) { self.iterator = iterator }
        func next() async throws -> ByteBuffer? { try await self.iterator.next(isolation: #isolation) }
    }

    private let nextBytes: () async throws -> ByteBuffer?

    package init<Source: AsyncSequence>(_ source: Source) where Source.Element == ByteBuffer {
        let box = Box(source.makeAsyncIterator())
        self.nextBytes = { try await box.next() }
    }

    /// The next piece of the source, nil once it has ended.
    package func next() async throws -> ByteBuffer? { try await self.nextBytes() }

    /// Advances the shared source.
    package struct AsyncIterator: AsyncIteratorProtocol {
        let stream: ByteStream
        package mutating func next() async throws -> ByteBuffer? { try await self.stream.next() }
    }

    /// Iterates the source once: every iterator shares its position.
    package func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
