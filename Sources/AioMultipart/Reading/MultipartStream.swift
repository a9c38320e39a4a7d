import AioStreams
import AioWire
import HTTPTypes
import NIOCore

/// The buffered body a multipart reader and its nested readers share, with the limits that
/// apply to the whole body.
///
/// Each step (a boundary line, a header section, a piece of a part) is one synchronous scan
/// of the buffered bytes, suspending only when they do not suffice; the body ending first is
/// a ``MultipartError``.
final class MultipartStream {
    /// What follows a boundary.
    enum BoundaryEnd {
        /// `--`: the body's last boundary.
        case close
        /// Optional spaces and tabs and CRLF, `length` bytes: a part follows.
        case next(length: Int)
        /// Anything else: not a boundary, but data that looks like one.
        case none
    }

    private var buffer: ParserBuffer<ByteStream>
    let configuration: MultipartConfiguration
    private var partCount = 0

    init(_ source: ByteStream, configuration: MultipartConfiguration) {
        self.buffer = ParserBuffer(source)
        self.configuration = configuration
    }

    /// Bytes before the next `delimiter`, at most `maxCount`; nil when the delimiter is next.
    func readSome(_ maxCount: Int, before delimiter: [UInt8]) async throws -> ByteBuffer? {
        do {
            return try await self.buffer.readSome(maxCount, before: delimiter)
        } catch is EOFStream {
            throw Self.truncated
        }
    }

    /// The bytes before the next real `delimiter`, at most `limit`, and what ends the delimiter,
    /// consumed with it: one scan when the bytes are buffered, resumed where it stopped when
    /// more must be pulled.
    ///
    /// - Throws: ``MultipartError`` (413) when more than `limit` bytes come first.
    func read(through delimiter: [UInt8], limit: Int) async throws -> (ByteBuffer, BoundaryEnd) {
        var searched = 0
        return try await self.parse { buffer in
            while let end = buffer.endOfFirst(delimiter, from: searched) {
                let start = end - delimiter.count
                guard start <= limit else { throw MultipartError.partTooLarge(limit: limit) }
                guard let boundary = Self.boundaryEnd(buffer, at: end) else {
                    searched = start
                    return nil
                }
                let data = buffer.getSlice(at: buffer.readerIndex, length: start)!
                guard Self.consume(boundary, buffer: &buffer, at: end) != nil else {
                    // Data that looks like a delimiter.
                    searched = start + 1
                    continue
                }
                return (data, boundary)
            }
            // Bytes that cannot begin a delimiter are the part's.
            searched = Swift.max(searched, buffer.readableBytes - delimiter.count + 1)
            guard searched <= limit else { throw MultipartError.partTooLarge(limit: limit) }
            return nil
        }
    }

    /// Consumes the delimiter the buffer starts with and what ends its line. For data that
    /// only looks like a delimiter, returns those bytes instead, to be treated as data.
    func readDelimiter(_ delimiter: [UInt8]) async throws -> (BoundaryEnd, data: ByteBuffer?) {
        try await self.parse { buffer in
            guard let end = Self.boundaryEnd(buffer, at: delimiter.count) else { return nil }
            switch end {
            case .close:
                buffer.moveReaderIndex(forwardBy: delimiter.count + 2)
                return (end, nil)
            case .next(let length):
                buffer.moveReaderIndex(forwardBy: delimiter.count + length)
                return (end, nil)
            case .none:
                // Its one CR cannot start a real delimiter.
                return (end, buffer.readSlice(length: delimiter.count))
            }
        }
    }

    /// Skips to and past the first real `delimiter` (one followed by `--` or a line end), or
    /// `dashBoundary` right at the start when `atStart`; `missing` names the error otherwise.
    func skip(to delimiter: [UInt8], atStart: Bool, missing: String) async throws -> BoundaryEnd {
        var atStart = atStart
        do {
            return try await self.buffer.parse { buffer in
                if atStart {
                    // The first boundary may open the body without the CRLF before it.
                    let dashBoundary = delimiter.count - 2
                    guard buffer.readableBytes >= dashBoundary + 2 else { return nil }
                    if buffer.readableBytesView.starts(with: delimiter.dropFirst(2)) {
                        guard let end = Self.boundaryEnd(buffer, at: dashBoundary) else { return nil }
                        if let found = Self.consume(end, buffer: &buffer, at: dashBoundary) { return found }
                    }
                    atStart = false
                }
                while true {
                    let (count, found) = buffer.bytesBefore(delimiter)
                    buffer.moveReaderIndex(forwardBy: count)
                    guard found else { return nil }
                    guard let end = Self.boundaryEnd(buffer, at: delimiter.count) else { return nil }
                    if let found = Self.consume(end, buffer: &buffer, at: delimiter.count) { return found }
                    buffer.moveReaderIndex(forwardBy: 1)
                }
            }
        } catch is EOFStream {
            throw MultipartError(missing)
        }
    }

    /// Drops everything left, as an epilogue is.
    func skipToEnd() async throws {
        while try await self.buffer.readSome(65536) != nil {}
    }

    /// A part's header section, checked, as bytes: its fields are built only when asked for
    /// (``fields(of:)``), which a form field read as text never does. Counts the part against
    /// ``MultipartConfiguration/maxParts``.
    func readPartHeaders() async throws -> ByteBuffer {
        self.partCount += 1
        guard self.partCount <= self.configuration.maxParts else {
            throw MultipartError.tooLarge("More than \(self.configuration.maxParts) parts")
        }
        let limits = self.configuration.partHeaders
        return try await self.parse { buffer in
            guard buffer.readableBytes >= 2 else { return nil }
            if buffer.readableBytesView.starts(with: MultipartSyntax.crlf) {
                buffer.moveReaderIndex(forwardBy: 2)
                return ByteBuffer()
            }
            guard let end = buffer.endOfFirst(MultipartSyntax.emptyLine) else {
                guard buffer.readableBytes < limits.maxHeadLength else {
                    throw MultipartError.tooLarge("Part headers longer than \(limits.maxHeadLength) bytes")
                }
                return nil
            }
            guard end <= limits.maxHeadLength else {
                throw MultipartError.tooLarge("Part headers longer than \(limits.maxHeadLength) bytes")
            }
            let section = buffer.readSlice(length: end)!
            var lines = section
            var reader = FieldSectionReader(configuration: limits)
            let complete: Bool
            do {
                complete = try reader.validate(&lines)
            } catch let error as any HTTPProcessingError where error.status == .requestHeaderFieldsTooLarge {
                throw MultipartError.tooLarge("Part headers: \(error.message)")
            } catch let error as any HTTPProcessingError {
                throw MultipartError("Part headers: \(error.message)")
            }
            guard complete else { throw MultipartError("Malformed part headers") }
            return section
        }
    }

    /// The fields of a header section ``readPartHeaders()`` has checked.
    func fields(of section: ByteBuffer) -> HTTPFields {
        guard section.readableBytes > 0 else { return [:] }
        var lines = section
        var reader = FieldSectionReader(configuration: self.configuration.partHeaders)
        // Checked once already, with the same limits: it reads the same way again.
        return (try? reader.read(&lines)) ?? [:]
    }

    /// Runs a parsing step on the buffered bytes, and only when they do not suffice as a step
    /// that pulls more input. Inlined, so a step the buffer satisfies (a small part, usually)
    /// costs no async frame.
    @inline(__always)
    private func parse<Result>(_ step: (inout ByteBuffer) throws -> Result?) async throws -> Result {
        if let result = try self.buffer.parseBuffered(step) { return result }
        return try await self.parseMore(step)
    }

    /// Runs a parsing step, pulling input until it is satisfied; the body ending first is a
    /// truncated multipart body.
    @inline(never)
    private func parseMore<Result>(_ step: (inout ByteBuffer) throws -> Result?) async throws -> Result {
        do {
            return try await self.buffer.parse(step)
        } catch is EOFStream {
            throw Self.truncated
        }
    }

    private static var truncated: MultipartError {
        MultipartError("Missing closing boundary: the multipart body ended early")
    }

    /// Consumes a boundary of `length` bytes and its ending when it is a real one.
    private static func consume(_ end: BoundaryEnd, buffer: inout ByteBuffer, at length: Int) -> BoundaryEnd? {
        switch end {
        case .close:
            buffer.moveReaderIndex(forwardBy: length + 2)
        case .next(let rest):
            buffer.moveReaderIndex(forwardBy: length + rest)
        case .none:
            return nil
        }
        return end
    }

    /// What follows the boundary that ends `offset` bytes into `buffer` (RFC 2046 §5.1.1); nil
    /// while the buffered bytes cannot tell.
    static func boundaryEnd(_ buffer: ByteBuffer, at offset: Int) -> BoundaryEnd? {
        buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= offset + 2 else { return nil }
            if bytes[offset] == UInt8(ascii: "-"), bytes[offset + 1] == UInt8(ascii: "-") { return .close }
            var index = offset
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
                index += 1
                if index - offset > 1024 { return BoundaryEnd.none }
            }
            guard bytes.count >= index + 2 else { return nil }
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A { return .next(length: index + 2 - offset) }
            return BoundaryEnd.none
        }
    }
}

/// Byte strings of the multipart syntax, allocated once.
enum MultipartSyntax {
    static let crlf: [UInt8] = [0x0D, 0x0A]
    static let emptyLine: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
}
