import HTTPTypes
import NIOCore

/// A piece of a body read by ``ChunkedDecoder``.
public enum ChunkedBodyPart: Sendable, Hashable {
    /// Chunk data, a slice of the input without copying.
    case data(ByteBuffer)
    /// The last chunk, with the trailer fields if there were any.
    case end(HTTPFields?)
}

/// Decodes the chunked transfer coding of RFC 9112 §7.1, strictly.
///
/// Chunk sizes are hexadecimal without sign or whitespace and must fit an `Int`; chunk
/// extensions must follow the `token` / `quoted-string` grammar; chunk data must be followed by
/// CRLF; trailer fields are validated like header fields and may not carry `Content-Length`,
/// `Transfer-Encoding` or `Host`. Bytes after the final CRLF are left in the buffer.
///
/// ``HTTPRequestParser`` and ``HTTPResponseParser`` use it for chunked bodies; on its own it
/// decodes a chunked stream such as a captured body.
public struct ChunkedDecoder: NIOSingleStepByteToMessageDecoder, DrainingDecoder, Sendable {
    public typealias InboundOut = ChunkedBodyPart

    private enum Phase: Sendable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private let configuration: HTTPParserConfiguration
    private var phase = Phase.size
    private var scanner = LineScanner()
    private var trailers: FieldSectionParser
    /// Stream offset of the reader index, for standalone use.
    private var consumed = 0

    /// A decoder whose chunk-line and trailer limits come from `configuration`.
    public init(configuration: HTTPParserConfiguration = .init()) {
        self.configuration = configuration
        self.trailers = FieldSectionParser(kind: .trailers, configuration: configuration)
    }

    /// Whether the last chunk and the trailer section have been read.
    public var isComplete: Bool {
        if case .done = self.phase { return true }
        return false
    }

    /// Decodes the next piece of the body, or returns nil when more bytes are needed or the body
    /// is complete.
    public mutating func decode(buffer: inout ByteBuffer) throws -> ChunkedBodyPart? {
        let before = buffer.readerIndex
        defer { self.consumed += buffer.readerIndex - before }
        return try self.next(&buffer, base: self.consumed)
    }

    /// Like ``decode(buffer:)``; at end of input a body that is not complete is an
    /// ``IncompleteMessage``.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ChunkedBodyPart? {
        if let part = try self.decode(buffer: &buffer) {
            return part
        }
        guard self.isComplete else {
            throw IncompleteMessage(offset: self.consumed + buffer.readableBytes)
        }
        return nil
    }

    /// The next piece, with `base` the stream offset of the reader index.
    mutating func next(_ buffer: inout ByteBuffer, base: Int) throws -> ChunkedBodyPart? {
        let start = buffer.readerIndex
        while true {
            let offset = base + (buffer.readerIndex - start)
            switch self.phase {
            case .size:
                guard let size = try self.readSizeLine(&buffer, base: offset) else { return nil }
                self.phase = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                let slice = buffer.readSlice(length: count)!
                self.phase = count == remaining ? .dataEnd : .data(remaining: remaining - count)
                return .data(slice)
            case .dataEnd:
                guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
                guard first == HTTPByte.cr else {
                    throw TransferEncodingError("Chunk data not followed by CRLF", offset: offset)
                }
                guard let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return nil }
                guard second == HTTPByte.lf else {
                    throw TransferEncodingError("Chunk data not followed by CRLF", offset: offset + 1)
                }
                buffer.moveReaderIndex(forwardBy: 2)
                self.phase = .size
            case .trailers:
                guard try self.trailers.parse(&buffer, base: offset) else {
                    return nil
                }
                self.phase = .done
                let fields = self.trailers.takeFields()
                return .end(fields.isEmpty ? nil : fields)
            case .done:
                return nil
            }
        }
    }

    /// Reads `chunk-size [ chunk-ext ] CRLF`; nil until the line is complete.
    private mutating func readSizeLine(_ buffer: inout ByteBuffer, base: Int) throws -> Int? {
        let limit = self.configuration.maxChunkLineLength
        let result = try buffer.withUnsafeReadableBytes { bytes -> (Int, Int)? in
            guard
                let line = try self.scanner.nextLine(in: bytes, from: 0, base: base, limit: limit, part: .chunkLine)
            else { return nil }
            let size = try Self.parseSizeLine(UnsafeRawBufferPointer(rebasing: bytes[line]), base: base)
            return (size, line.upperBound + 2)
        }
        guard let (size, consumed) = result else { return nil }
        buffer.moveReaderIndex(forwardBy: consumed)
        return size
    }

    /// Parses a chunk-size line without its CRLF (RFC 9112 §7.1 and §7.1.1).
    static func parseSizeLine(_ line: UnsafeRawBufferPointer, base: Int) throws -> Int {
        let count = line.count
        var index = 0
        var size = 0
        while index < count, let digit = Hex.value(line[index]) {
            guard size <= Int.max >> 4 else {
                throw TransferEncodingError("Chunk size overflow", offset: base + index)
            }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard index > 0 else {
            throw TransferEncodingError("Invalid character in chunk size", offset: base)
        }
        // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
        while index < count {
            var next = Self.skipWhitespace(line, from: index)
            guard next < count, line[next] == HTTPByte.semicolon else {
                throw TransferEncodingError("Invalid character in chunk size", offset: base + next)
            }
            next = Self.skipWhitespace(line, from: next + 1)
            let nameEnd = Self.skipToken(line, from: next)
            guard nameEnd > next else {
                throw TransferEncodingError("Invalid chunk extension name", offset: base + nameEnd)
            }
            index = nameEnd
            let equals = Self.skipWhitespace(line, from: nameEnd)
            if equals < count, line[equals] == HTTPByte.equals {
                let valueStart = Self.skipWhitespace(line, from: equals + 1)
                let valueEnd: Int
                if valueStart < count, line[valueStart] == HTTPByte.dquote {
                    valueEnd = try Self.skipQuotedString(line, from: valueStart, base: base)
                } else {
                    valueEnd = Self.skipToken(line, from: valueStart)
                    guard valueEnd > valueStart else {
                        throw TransferEncodingError("Invalid chunk extension value", offset: base + valueStart)
                    }
                }
                index = valueEnd
            }
        }
        return size
    }

    private static func skipWhitespace(_ line: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < line.count, HTTPByte.isWhitespace(line[index]) { index += 1 }
        return index
    }

    private static func skipToken(_ line: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < line.count, HTTPByte.isTokenChar(line[index]) { index += 1 }
        return index
    }

    /// The index after the quoted-string that opens at `start` (RFC 9110 §5.6.4).
    private static func skipQuotedString(_ line: UnsafeRawBufferPointer, from start: Int, base: Int) throws -> Int {
        var index = start + 1
        while index < line.count {
            let byte = line[index]
            if byte == HTTPByte.dquote {
                return index + 1
            }
            if byte == HTTPByte.backslash {
                index += 1
                guard index < line.count, HTTPByte.isFieldValueChar(line[index]) else { break }
            } else if !HTTPByte.isFieldValueChar(byte) {
                break
            }
            index += 1
        }
        throw TransferEncodingError("Invalid quoted string in chunk extension", offset: base + index)
    }
}
