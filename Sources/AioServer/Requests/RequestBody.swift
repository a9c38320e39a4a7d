import AioWire
import NIOCore

/// The body of a request, read as it arrives: an `AsyncSequence` of `ByteBuffer`s with
/// back-pressure, so a handler that reads slowly stops the reads from the socket.
///
/// It can be iterated once. ``collect(upTo:)`` gathers a whole body with an explicit limit:
///
/// ```swift
/// let json = try await request.body.collect(upTo: 1 << 20)   // throws PayloadTooLarge past 1 MiB
/// ```
public struct RequestBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Demand
    >

    enum Storage: Sendable {
        case buffer(ByteBuffer)
        case stream(Producer)
        /// Boxed: the standard library's stream has a layout known only at run time, which
        /// would make every copy of a request go through runtime calls.
        indirect case async(AsyncThrowingStream<ByteBuffer, any Error>)
        /// Another body's bytes through a transformation (a content coding decoded).
        indirect case transformed(RequestBody, any BodyTransform)
    }

    let storage: Storage
    /// The body's length when the request announced it with `Content-Length`.
    public let expectedLength: Int?

    init(storage: Storage, expectedLength: Int?) {
        self.storage = storage
        self.expectedLength = expectedLength
    }

    /// No body.
    public static var empty: RequestBody { RequestBody(storage: .buffer(ByteBuffer()), expectedLength: 0) }

    /// A body already in memory, for in-process requests.
    public init(buffer: ByteBuffer) {
        self.init(storage: .buffer(buffer), expectedLength: buffer.readableBytes)
    }

    /// A body produced by `stream`, for in-process requests that stream.
    public init(stream: AsyncThrowingStream<ByteBuffer, any Error>, expectedLength: Int? = nil) {
        self.init(storage: .async(stream), expectedLength: expectedLength)
    }

    /// This body's bytes as `transform` turns them, what it holds back last: a request's
    /// content coding decoded as it is read. The length is no longer known.
    public func transformed(by transform: any BodyTransform) -> RequestBody {
        RequestBody(storage: .transformed(self, transform), expectedLength: nil)
    }

    /// Reads the whole body into one buffer; throws ``PayloadTooLarge`` as soon as it grows
    /// past `maxSize` bytes.
    public func collect(upTo maxSize: Int) async throws -> ByteBuffer {
        if let expected = self.expectedLength, expected > maxSize {
            throw PayloadTooLarge(limit: maxSize)
        }
        var collected: ByteBuffer?
        for try await var piece in self {
            if collected == nil {
                guard piece.readableBytes <= maxSize else { throw PayloadTooLarge(limit: maxSize) }
                collected = piece
                continue
            }
            guard collected!.readableBytes + piece.readableBytes <= maxSize else { throw PayloadTooLarge(limit: maxSize) }
            collected!.writeBuffer(&piece)
        }
        return collected ?? ByteBuffer()
    }

    public func makeAsyncIterator() -> Iterator {
        switch self.storage {
        case .buffer(let buffer): return Iterator(storage: .buffer(buffer.readableBytes > 0 ? buffer : nil))
        case .stream(let producer): return Iterator(storage: .stream(producer.makeAsyncIterator()))
        case .async(let stream): return Iterator(storage: .async(stream.makeAsyncIterator()))
        case .transformed(let body, let transform):
            return Iterator(storage: .transformed(Iterator.Box(body.makeAsyncIterator()), transform, finished: false))
        }
    }

    /// Reads the pieces of a ``RequestBody``.
    public struct Iterator: AsyncIteratorProtocol {
        enum Storage {
            case buffer(ByteBuffer?)
            case stream(Producer.AsyncIterator)
            case async(AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator)
            case transformed(Box<Iterator>, any BodyTransform, finished: Bool)
        }

        /// An iterator held by reference, so one can hold another.
        final class Box<Wrapped> {
            var value: Wrapped
            init(_ value: Wrapped) { self.value = value }
        }

        var storage: Storage

        public mutating func next() async throws -> ByteBuffer? {
            switch self.storage {
            case .buffer(let buffer):
                self.storage = .buffer(nil)
                return buffer
            case .stream(var iterator):
                // A reference underneath: the copy advances the same sequence.
                return try await iterator.next(isolation: #isolation)
            case .async(var iterator):
                defer { self.storage = .async(iterator) }
                return try await iterator.next(isolation: #isolation)
            case .transformed(let inner, let transform, let finished):
                if finished { return nil }
                while let piece = try await inner.value.next() {
                    let output = try transform.transform(piece)
                    if output.readableBytes > 0 { return output }
                }
                self.storage = .transformed(inner, transform, finished: true)
                let tail = try transform.finish()
                return tail.readableBytes > 0 ? tail : nil
            }
        }
    }
}
