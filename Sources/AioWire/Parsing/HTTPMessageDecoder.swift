import HTTPTypes
import NIOCore

/// What distinguishes requests from responses for ``HTTPMessageDecoder``: the start line and
/// how a head decides its framing.
protocol HTTPMessageKind: Sendable {
    associatedtype StartLine: Sendable
    associatedtype Head: HTTPParsedHead

    /// The limit name for the start line.
    static var startLinePart: LineTooLong.Part { get }
    /// How the field section of the head is treated.
    static var sectionKind: FieldSectionParser.Kind { get }

    /// Parses the start line, without CRLF, that begins at stream offset `base`.
    func parseStartLine(_ line: UnsafeRawBufferPointer, base: Int) throws -> StartLine

    /// Builds the head once its field section is complete; `base` is the stream offset just
    /// after the head, where errors about the head as a whole are reported.
    mutating func makeHead(
        _ startLine: consuming StartLine,
        fields: HTTPFields,
        framing: FramingFields,
        base: Int
    ) throws -> Head
}

/// What the decoder reads back from a head it made: how the body is framed and whether the
/// connection changes protocol after the message.
protocol HTTPParsedHead: Sendable, Hashable {
    var framing: HTTPBodyFraming { get }
    var isUpgrade: Bool { get }
}

extension HTTPRequestHead: HTTPParsedHead {}
extension HTTPResponseHead: HTTPParsedHead {}

/// The message loop shared by ``HTTPRequestParser`` and ``HTTPResponseParser``: empty lines
/// between messages, start line, field section, body framing, end of message, upgrade pause.
struct HTTPMessageDecoder<Kind: HTTPMessageKind>: Sendable {
    private enum Phase: Sendable {
        case startLine
        case fields
        case body
        case end
        case upgraded
        case failed(any Error)
    }

    private enum BodyMode: Sendable {
        case length(remaining: Int)
        case chunked
        case untilClose
    }

    var kind: Kind
    let configuration: HTTPParserConfiguration
    private var phase = Phase.startLine
    private var scanner = LineScanner()
    private var skippedLineBytes = 0
    private var startLine: Kind.StartLine?
    private var section: FieldSectionParser
    private var bodyMode = BodyMode.untilClose
    private var chunked: ChunkedDecoder
    private var upgradeAfterMessage = false
    /// Stream offset of the reader index: bytes consumed since the first byte.
    private(set) var consumed = 0

    init(kind: Kind, configuration: HTTPParserConfiguration) {
        self.kind = kind
        self.configuration = configuration
        self.section = FieldSectionParser(kind: Kind.sectionKind, configuration: configuration)
        self.chunked = ChunkedDecoder(configuration: configuration)
    }

    /// Whether the decoder stopped after an upgrade and leaves the remaining bytes alone.
    var isUpgraded: Bool {
        if case .upgraded = self.phase { return true }
        return false
    }

    /// Whether the decoder is between messages with nothing pending.
    var isIdle: Bool {
        if case .startLine = self.phase { return !self.scanner.hasPartialLine }
        return false
    }

    /// Continues parsing HTTP after an upgrade that was declined.
    mutating func resume() {
        if case .upgraded = self.phase {
            self.phase = .startLine
        }
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> HTTPParserEvent<Kind.Head>? {
        let start = buffer.readerIndex
        defer { self.consumed += buffer.readerIndex - start }
        do {
            return try self.step(&buffer, base: self.consumed - start)
        } catch {
            self.phase = .failed(error)
            throw error
        }
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> HTTPParserEvent<Kind.Head>? {
        if let event = try self.decode(buffer: &buffer) {
            return event
        }
        switch self.phase {
        case .startLine where buffer.readableBytes == 0, .upgraded:
            return nil
        case .body:
            if case .untilClose = self.bodyMode {
                self.phase = .startLine
                return .end(nil)
            }
        case .failed(let error):
            throw error
        case .startLine, .fields, .end:
            break
        }
        let error = IncompleteMessage(offset: self.consumed + buffer.readableBytes)
        self.phase = .failed(error)
        throw error
    }

    /// One event; `origin` converts reader indices of `buffer` to stream offsets.
    private mutating func step(_ buffer: inout ByteBuffer, base origin: Int) throws -> HTTPParserEvent<Kind.Head>? {
        while true {
            let base = origin + buffer.readerIndex
            switch self.phase {
            case .startLine:
                guard try self.readStartLine(&buffer, base: base) else { return nil }
                self.phase = .fields

            case .fields:
                guard try self.section.parse(&buffer, base: base) else {
                    return nil
                }
                let head = try self.kind.makeHead(
                    self.startLine.take()!,
                    fields: self.section.takeFields(),
                    framing: self.section.framing,
                    base: origin + buffer.readerIndex
                )
                self.upgradeAfterMessage = head.isUpgrade
                switch head.framing {
                case .empty, .contentLength(0):
                    self.phase = .end
                case .contentLength(let length):
                    self.bodyMode = .length(remaining: length)
                    self.phase = .body
                case .chunked:
                    self.bodyMode = .chunked
                    self.chunked = ChunkedDecoder(configuration: self.configuration)
                    self.phase = .body
                case .untilClose:
                    self.bodyMode = .untilClose
                    self.phase = .body
                }
                return .head(head)

            case .body:
                switch self.bodyMode {
                case .length(let remaining):
                    guard buffer.readableBytes > 0 else { return nil }
                    let count = min(remaining, buffer.readableBytes)
                    let slice = buffer.readSlice(length: count)!
                    if count == remaining {
                        self.phase = .end
                    } else {
                        self.bodyMode = .length(remaining: remaining - count)
                    }
                    return .body(slice)
                case .chunked:
                    switch try self.chunked.next(&buffer, base: base) {
                    case .none:
                        return nil
                    case .data(let slice):
                        return .body(slice)
                    case .end(let trailers):
                        self.finishMessage()
                        return .end(trailers)
                    }
                case .untilClose:
                    guard buffer.readableBytes > 0 else { return nil }
                    return .body(buffer.readSlice(length: buffer.readableBytes)!)
                }

            case .end:
                self.finishMessage()
                return .end(nil)

            case .upgraded:
                return nil

            case .failed(let error):
                throw error
            }
        }
    }

    /// Skips empty lines before a start line (RFC 9112 §2.2) and parses the start line.
    private mutating func readStartLine(_ buffer: inout ByteBuffer, base: Int) throws -> Bool {
        let limit = self.configuration.maxStartLineLength
        let (consumed, found) = try buffer.withUnsafeReadableBytes { bytes -> (Int, Bool) in
            var start = 0
            while let line = try self.scanner.nextLine(
                in: bytes,
                from: start,
                base: base,
                limit: limit,
                part: Kind.startLinePart
            ) {
                start = line.upperBound + 2
                if line.isEmpty {
                    self.skippedLineBytes += 2
                    if self.skippedLineBytes > limit {
                        throw BadHTTPMessage("Too many empty lines before the start line", offset: base + start)
                    }
                    continue
                }
                let lineBytes = UnsafeRawBufferPointer(rebasing: bytes[line])
                self.startLine = try self.kind.parseStartLine(lineBytes, base: base + line.lowerBound)
                self.section.reset(precedingLength: line.count + 2)
                return (start, true)
            }
            return (start, false)
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return found
    }

    private mutating func finishMessage() {
        self.skippedLineBytes = 0
        self.phase = self.upgradeAfterMessage ? .upgraded : .startLine
    }
}
