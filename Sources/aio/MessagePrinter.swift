import AioHTTP
import Crypto
import HTTPTypes
import NIOCore

/// Field lines as `(name, value)`, values that are not UTF-8 read as Latin-1.
func fieldPairs(_ fields: HTTPFields) -> [(String, String)] {
    fields.map { field in
        (field.name.rawName, field.withUnsafeBytesOfValue { latin1OrUTF8($0) })
    }
}

/// Bytes as UTF-8 text, or as Latin-1 when they are not valid UTF-8.
func latin1OrUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    if let text = String(validating: bytes, as: UTF8.self) {
        return text
    }
    return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
}

/// Runs a parser over the input and prints every message, then an error if one stops it. It
/// stops where a peer would: after a message that closes the connection (`Connection: close`,
/// HTTP/1.0 without keep-alive) or switches protocols, reporting the bytes left unread.
struct MessagePrinter<Head: Sendable & Hashable> {
    let describe: (Head, inout JSONWriter) -> Void
    /// Whether the connection stays open after the message with this head.
    let keepAlive: (Head) -> Bool
    let emit: (String) -> Void
    private var json = JSONWriter()
    private var hasher = SHA256()
    private var bodyLength = 0
    /// The message being read closes the connection.
    private var closes = false

    init(
        describe: @escaping (Head, inout JSONWriter) -> Void,
        keepAlive: @escaping (Head) -> Bool,
        emit: @escaping (String) -> Void
    ) {
        self.describe = describe
        self.keepAlive = keepAlive
        self.emit = emit
    }

    /// Returns false when parsing failed.
    mutating func run<Parser: NIOSingleStepByteToMessageDecoder>(
        _ parser: Parser,
        _ buffer: inout ByteBuffer,
        isUpgraded: (Parser) -> Bool
    ) -> Bool where Parser.InboundOut == HTTPParserEvent<Head> {
        var parser = parser
        do {
            while let event = try parser.decode(buffer: &buffer) {
                self.handle(event)
                if case .end = event, self.closes {
                    if buffer.readableBytes > 0 {
                        self.emitStop("closed", remaining: buffer.readableBytes)
                    }
                    return true
                }
            }
            if isUpgraded(parser) {
                self.emitStop("upgraded", remaining: buffer.readableBytes)
                return true
            }
            while let event = try parser.decodeLast(buffer: &buffer, seenEOF: true) { self.handle(event) }
            return true
        } catch {
            var json = JSONWriter()
            json.beginObject()
            json.key("error")
            json.beginObject()
            json.key("type")
            json.string("\(type(of: error))")
            if let error = error as? any HTTPProcessingError {
                json.key("status")
                json.number(error.code)
                json.key("message")
                json.string(error.message)
                json.key("offset")
                if let offset = error.offset { json.number(offset) } else { json.null() }
            } else {
                json.key("message")
                json.string("\(error)")
            }
            json.endObject()
            json.endObject()
            self.emit(json.text)
            return false
        }
    }

    /// `{"<why>": true, "remaining_bytes": n}`: where reading stopped, and what was left.
    private func emitStop(_ why: String, remaining: Int) {
        var json = JSONWriter()
        json.beginObject()
        json.key(why)
        json.bool(true)
        json.key("remaining_bytes")
        json.number(remaining)
        json.endObject()
        self.emit(json.text)
    }

    private mutating func handle(_ event: HTTPParserEvent<Head>) {
        switch event {
        case .head(let head):
            self.json = JSONWriter()
            self.json.beginObject()
            self.describe(head, &self.json)
            self.closes = !self.keepAlive(head)
            self.hasher = SHA256()
            self.bodyLength = 0
        case .body(let body):
            self.bodyLength += body.readableBytes
            body.withUnsafeReadableBytes { self.hasher.update(bufferPointer: $0) }
        case .end(let trailers):
            self.json.key("trailers")
            self.json.pairs(fieldPairs(trailers ?? [:]))
            self.json.key("body_length")
            self.json.number(self.bodyLength)
            self.json.key("body_sha256")
            self.json.string(Hex.string(self.hasher.finalize()))
            self.json.endObject()
            self.emit(self.json.text)
        }
    }
}
