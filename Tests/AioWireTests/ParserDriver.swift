import AioTestSupport
import AioWire
import HTTPTypes
import NIOCore

/// A message as the tests compare it: everything a parser reported, body pieces joined.
struct ParsedMessage<Head: Hashable & Sendable>: Hashable, Sendable {
    var head: Head
    var body: [UInt8] = []
    var trailers: HTTPFields?
    var complete = false
}

/// What a parser made of one input fed in one particular split.
struct ParseOutcome<Head: Hashable & Sendable>: Hashable, Sendable {
    var messages: [ParsedMessage<Head>] = []
    /// The error thrown while bytes were still arriving, as "Type@offset".
    var error: String?
    var errorStatus: Int?
    /// The error thrown at end of input, if any.
    var eofError: String?
    /// Bytes consumed before the driver stopped.
    var consumed = 0
    /// Bytes left unread in the buffer.
    var leftover: [UInt8] = []
    var upgraded = false
    /// Messages complete before end of input was signalled.
    var completeBeforeEOF = 0

    var completeCount: Int { self.messages.filter(\.complete).count }
}

func describe(_ error: any Error) -> String {
    if let error = error as? any HTTPProcessingError {
        return "\(type(of: error))@\(error.offset ?? -1)"
    }
    return "\(error)"
}

/// Feeds `bytes` to `parser` in pieces of the sizes `pieces`, like a channel would, then signals
/// end of input. With `stopAfterClose`, stops after a message whose head says the connection
/// closes, as a server does.
func drive<Parser: NIOSingleStepByteToMessageDecoder, Head: Hashable & Sendable>(
    _ parser: Parser,
    _ bytes: [UInt8],
    pieces: [Int],
    stopAfterClose: Bool = false,
    keepAlive: (Head) -> Bool = { _ in true },
    isUpgraded: (Parser) -> Bool = { _ in false }
) -> ParseOutcome<Head> where Parser.InboundOut == HTTPParserEvent<Head> {
    var parser = parser
    var outcome = ParseOutcome<Head>()
    var buffer = ByteBuffer()
    var offset = 0
    var stopped = false

    func apply(_ event: HTTPParserEvent<Head>) {
        switch event {
        case .head(let head):
            outcome.messages.append(ParsedMessage(head: head))
        case .body(let slice):
            outcome.messages[outcome.messages.count - 1].body += slice.readableBytesView
        case .end(let trailers):
            outcome.messages[outcome.messages.count - 1].trailers = trailers
            outcome.messages[outcome.messages.count - 1].complete = true
            if stopAfterClose, !keepAlive(outcome.messages[outcome.messages.count - 1].head) {
                stopped = true
            }
        }
    }

    feeding: for size in pieces {
        buffer.writeBytes(bytes[offset..<(offset + size)])
        offset += size
        do {
            while !stopped, let event = try parser.decode(buffer: &buffer) {
                apply(event)
            }
        } catch {
            outcome.error = describe(error)
            outcome.errorStatus = (error as? any HTTPProcessingError)?.code
            break feeding
        }
        if stopped { break }
    }
    outcome.completeBeforeEOF = outcome.completeCount
    if outcome.error == nil, !stopped {
        do {
            while !stopped, let event = try parser.decodeLast(buffer: &buffer, seenEOF: true) {
                apply(event)
            }
        } catch {
            outcome.eofError = describe(error)
        }
    }
    outcome.upgraded = isUpgraded(parser)
    // After an error the buffer's state is unspecified: only the error and its offset count.
    if outcome.error == nil {
        outcome.leftover = Array(buffer.readableBytesView) + bytes[offset...]
        outcome.consumed = bytes.count - outcome.leftover.count
    }
    return outcome
}

extension HTTPRequestParser {
    /// A parser that reads corpus cases: like a server's, but `Host` optional.
    static func forCorpus() -> HTTPRequestParser {
        HTTPRequestParser(configuration: .init(requireHost: false))
    }
}

func driveRequests(_ bytes: [UInt8], pieces: [Int], parser: HTTPRequestParser = .forCorpus()) -> ParseOutcome<HTTPRequestHead> {
    drive(parser, bytes, pieces: pieces, stopAfterClose: true, keepAlive: { $0.keepAlive }, isUpgraded: { $0.isUpgraded })
}

func driveResponses(_ bytes: [UInt8], pieces: [Int], parser: HTTPResponseParser = .init()) -> ParseOutcome<HTTPResponseHead> {
    drive(parser, bytes, pieces: pieces, stopAfterClose: true, keepAlive: { $0.keepAlive || $0.isInformational }, isUpgraded: { $0.isUpgraded })
}
