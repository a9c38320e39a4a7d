import AioWire
import NIOCore

/// A buffered reader over an `AsyncSequence` of `ByteBuffer`s, for parsers that pull bytes:
/// aiohttp's `ParserBuffer` for async Swift.
///
/// Reads wait for as many pieces of the source as they need and keep the rest for the next read;
/// `wait` variants look ahead without consuming. When the source ends before a read is
/// satisfied, the read throws ``EOFStream``; a cancelled task throws `CancellationError`.
///
/// ```swift
/// var reader = ParserBuffer(request.body)
/// let line = try await reader.readUntil("\r\n", limit: 8192)   // boundary line of a multipart body
/// let part = try await reader.read(512)
/// ```
public struct ParserBuffer<Source: AsyncSequence> where Source.Element == ByteBuffer {
    // Inlinable, so the parsers built on it are specialised for their source in their module.
    @usableFromInline var iterator: Source.AsyncIterator
    @usableFromInline var buffer = ByteBuffer()
    @usableFromInline var sourceFinished = false

    /// A reader over `source`.
    @inlinable
    public init(_ source: Source) {
        self.iterator = source.makeAsyncIterator()
    }

    /// The bytes read from the source but not consumed yet.
    @inlinable
    public var buffered: ByteBuffer { self.buffer }

    /// Whether the source has ended and every byte has been consumed.
    @inlinable
    public var isAtEnd: Bool { self.sourceFinished && self.buffer.readableBytes == 0 }

    /// Reads exactly `count` bytes.
    @inlinable
    public mutating func read(_ count: Int) async throws -> ByteBuffer {
        try await self.fill(count)
        return self.buffer.readSlice(length: count)!
    }

    /// Reads what is buffered, at most `maxCount` bytes, waiting for the source only when nothing
    /// is buffered; nil once the source has ended and everything was read.
    @inlinable
    public mutating func readSome(_ maxCount: Int) async throws -> ByteBuffer? {
        precondition(maxCount > 0, "readSome needs a positive count")
        if self.buffer.readableBytes == 0 {
            guard try await self.pull() else { return nil }
        }
        return self.buffer.readSlice(length: min(maxCount, self.buffer.readableBytes))!
    }

    /// Reads up to and including the first `separator`.
    ///
    /// Throws ``/AioWire/LineTooLong`` when `limit` bytes are buffered without a complete
    /// separator, so a peer cannot make the reader buffer without bound.
    @inlinable
    public mutating func readUntil(_ separator: some Collection<UInt8>, limit: Int) async throws -> ByteBuffer {
        let length = try await self.fillUntil(Array(separator), limit: limit)
        return self.buffer.readSlice(length: length)!
    }

    /// Reads at most `maxCount` bytes that come before the first `separator`, without consuming
    /// it; nil when the separator is next.
    ///
    /// Buffered bytes are returned as soon as they cannot be the start of a separator, so a
    /// body delimited by a boundary streams in the pieces it arrived in, without copies; only a
    /// tail that may begin a separator waits for more input. Throws ``EOFStream`` when the
    /// source ends before the separator.
    @inlinable
    public mutating func readSome(_ maxCount: Int, before separator: [UInt8]) async throws -> ByteBuffer? {
        precondition(maxCount > 0 && !separator.isEmpty, "readSome needs a positive count and a separator")
        while true {
            let (count, found) = self.buffer.bytesBefore(separator)
            if count > 0 {
                return self.buffer.readSlice(length: min(count, maxCount))!
            }
            if found {
                return nil
            }
            guard try await self.pull() else { throw EOFStream(bufferedBytes: self.buffer.readableBytes) }
        }
    }

    /// Runs `parse` on the buffered bytes, pulling more input each time it returns nil, until
    /// it returns a value: one suspension point for a whole parsing step, however many checks
    /// it makes. `parse` consumes what it used by moving the buffer's reader index, and may
    /// drop bytes it has looked at even when it asks for more. Throws ``EOFStream`` when the
    /// source ends first.
    @inlinable
    public mutating func parse<Result>(_ parse: (inout ByteBuffer) throws -> Result?) async throws -> Result {
        while true {
            if let result = try parse(&self.buffer) { return result }
            guard try await self.pull() else { throw EOFStream(bufferedBytes: self.buffer.readableBytes) }
        }
    }

    /// Runs `parse` on the bytes already buffered, without pulling: the synchronous first try
    /// of a parsing step, for callers that keep a step the buffer satisfies free of suspension
    /// points. Returns nil when the buffered bytes do not suffice.
    @inlinable
    public mutating func parseBuffered<Result>(_ parse: (inout ByteBuffer) throws -> Result?) rethrows -> Result? {
        try parse(&self.buffer)
    }

    /// Skips exactly `count` bytes.
    @inlinable
    public mutating func skip(_ count: Int) async throws {
        var left = count
        while left > 0 {
            if self.buffer.readableBytes == 0 {
                guard try await self.pull() else { throw EOFStream(bufferedBytes: 0) }
            }
            let step = min(left, self.buffer.readableBytes)
            self.buffer.moveReaderIndex(forwardBy: step)
            left -= step
        }
    }

    /// Skips everything up to and including the first `separator`, without a limit: skipped
    /// bytes are dropped as they arrive, only a partial separator is kept.
    @inlinable
    public mutating func skipUntil(_ separator: some Collection<UInt8>) async throws {
        let separator = Array(separator)
        precondition(!separator.isEmpty, "an empty separator")
        while true {
            if let end = self.buffer.endOfFirst(separator) {
                self.buffer.moveReaderIndex(forwardBy: end)
                return
            }
            let keep = min(self.buffer.readableBytes, separator.count - 1)
            self.buffer.moveReaderIndex(forwardBy: self.buffer.readableBytes - keep)
            guard try await self.pull() else { throw EOFStream(bufferedBytes: self.buffer.readableBytes) }
        }
    }

    /// Returns the next `count` bytes without consuming them.
    @inlinable
    public mutating func wait(_ count: Int) async throws -> ByteBuffer {
        try await self.fill(count)
        return self.buffer.getSlice(at: self.buffer.readerIndex, length: count)!
    }

    /// Returns the bytes up to and including the first `separator` without consuming them;
    /// throws ``/AioWire/LineTooLong`` past `limit`, like ``readUntil(_:limit:)``.
    @inlinable
    public mutating func waitUntil(_ separator: some Collection<UInt8>, limit: Int) async throws -> ByteBuffer {
        let length = try await self.fillUntil(Array(separator), limit: limit)
        return self.buffer.getSlice(at: self.buffer.readerIndex, length: length)!
    }

    /// Buffers at least `count` bytes.
    @inlinable
    mutating func fill(_ count: Int) async throws {
        while self.buffer.readableBytes < count {
            guard try await self.pull() else { throw EOFStream(bufferedBytes: self.buffer.readableBytes) }
        }
    }

    /// Buffers up to the end of the first `separator` and returns that length.
    @inlinable
    mutating func fillUntil(_ separator: [UInt8], limit: Int) async throws -> Int {
        precondition(!separator.isEmpty, "an empty separator")
        var searched = 0
        while true {
            if let end = self.buffer.endOfFirst(separator, from: searched) {
                guard end <= limit else { throw LineTooLong(.line, limit: limit) }
                return end
            }
            if self.buffer.readableBytes >= limit {
                throw LineTooLong(.line, limit: limit)
            }
            // A separator may straddle the old end and the next piece.
            searched = max(0, self.buffer.readableBytes - separator.count + 1)
            guard try await self.pull() else { throw EOFStream(bufferedBytes: self.buffer.readableBytes) }
        }
    }

    /// Appends the next piece of the source; false when the source has ended.
    @inlinable
    mutating func pull() async throws -> Bool {
        if self.sourceFinished { return false }
        while let piece = try await self.iterator.next(isolation: #isolation) {
            guard piece.readableBytes > 0 else { continue }
            if self.buffer.readableBytes == 0 {
                self.buffer = piece
            } else {
                var piece = piece
                self.buffer.writeBuffer(&piece)
            }
            return true
        }
        try Task.checkCancellation()
        self.sourceFinished = true
        return false
    }
}

extension ByteBuffer {
    /// How many readable bytes certainly come before `separator`, and whether the separator
    /// starts right after them; a readable tail that matches the separator's beginning is not
    /// counted, since more input decides whether it is one.
    @inlinable
    package func bytesBefore(_ separator: [UInt8]) -> (count: Int, found: Bool) {
        self.withUnsafeReadableBytes { bytes in
            let first = separator[0]
            var index = 0
            while let candidate = bytes.firstIndex(of: first, in: index..<bytes.count) {
                let available = Swift.min(separator.count, bytes.count - candidate)
                var matched = 1
                while matched < available, bytes[candidate + matched] == separator[matched] { matched += 1 }
                if matched == separator.count { return (candidate, true) }
                if matched == available { return (candidate, false) }
                index = candidate + 1
            }
            return (bytes.count, false)
        }
    }

    /// The readable-relative index just past the first occurrence of `separator` at or after
    /// `start`, or nil.
    @inlinable
    package func endOfFirst(_ separator: [UInt8], from start: Int = 0) -> Int? {
        self.withUnsafeReadableBytes { bytes -> Int? in
            guard let first = separator.first else { return nil }
            var index = start
            while index + separator.count <= bytes.count {
                guard let found = bytes.firstIndex(of: first, in: index..<bytes.count) else { return nil }
                guard found + separator.count <= bytes.count else { return nil }
                if separator.indices.allSatisfy({ bytes[found + $0] == separator[$0] }) {
                    return found + separator.count
                }
                index = found + 1
            }
            return nil
        }
    }
}
