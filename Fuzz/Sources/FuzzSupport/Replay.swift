import AioWire
import HTTPTypes
import NIOCore

/// A message as a fuzzer compares it.
public struct Message<Head: Hashable & Sendable>: Hashable {
    public var head: Head
    public var body: [UInt8] = []
    public var trailers: HTTPFields?
    public var complete = false
}

/// What one run of a parser produced.
public struct Outcome<Head: Hashable & Sendable>: Hashable {
    public var messages: [Message<Head>] = []
    public var error: String?
    public var consumed = 0
}

/// Feeds `bytes` to `parser` in two pieces cut at `cut`, then signals the end of input, checking
/// on the way that the parser never consumes more than it was given.
public func run<Parser: NIOSingleStepByteToMessageDecoder, Head: Hashable & Sendable>(
    _ parser: Parser,
    _ bytes: UnsafeRawBufferPointer,
    cut: Int
) -> Outcome<Head> where Parser.InboundOut == HTTPParserEvent<Head> {
    var parser = parser
    var outcome = Outcome<Head>()
    var buffer = ByteBuffer()
    var fed = 0
    func apply(_ event: HTTPParserEvent<Head>) {
        switch event {
        case .head(let head):
            outcome.messages.append(Message(head: head))
        case .body(let body):
            precondition(!outcome.messages.isEmpty, "body before head")
            outcome.messages[outcome.messages.count - 1].body += body.readableBytesView
        case .end(let trailers):
            precondition(!outcome.messages.isEmpty, "end before head")
            outcome.messages[outcome.messages.count - 1].trailers = trailers
            outcome.messages[outcome.messages.count - 1].complete = true
        }
    }
    do {
        for piece in [bytes[..<cut], bytes[cut...]] {
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: piece))
            fed += piece.count
            while let event = try parser.decode(buffer: &buffer) { apply(event) }
            precondition(buffer.readableBytes <= fed, "consumed more than given")
        }
        while let event = try parser.decodeLast(buffer: &buffer, seenEOF: true) { apply(event) }
    } catch let error as any HTTPProcessingError {
        outcome.error = "\(type(of: error))@\(error.offset ?? -1)"
        precondition((error.offset ?? 0) <= bytes.count, "error offset past the input")
        return outcome
    } catch {
        preconditionFailure("an error outside the HTTPProcessingError family: \(error)")
    }
    outcome.consumed = fed - buffer.readableBytes
    precondition(outcome.consumed >= 0 && outcome.consumed <= bytes.count)
    return outcome
}

/// Fields without the ones that frame a message, so a message can be re-framed.
public func withoutFraming(_ fields: HTTPFields) -> HTTPFields {
    var fields = fields
    fields[.contentLength] = nil
    fields[.transferEncoding] = nil
    return fields
}

/// Writes `body` chunked, then the trailers.
public func writeChunkedBody(_ body: [UInt8], trailers: HTTPFields?, into buffer: inout ByteBuffer) {
    ChunkedEncoder.writeChunk(ByteBuffer(bytes: body), into: &buffer)
    try! ChunkedEncoder.writeLastChunk(trailers: trailers, into: &buffer)
}

/// The cut point a fuzz input chooses for itself: its first byte, scaled to its length.
public func cutPoint(_ bytes: UnsafeRawBufferPointer) -> Int {
    guard let first = bytes.first, bytes.count > 1 else { return 0 }
    return Int(first) * bytes.count / 256
}
