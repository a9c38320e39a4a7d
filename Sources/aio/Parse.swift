import AioHTTP
import ArgumentParser
import Crypto
import HTTPTypes
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `aio parse`: decodes captured HTTP/1.1 bytes and prints each message as a line of JSON.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode captured HTTP/1.1 requests (or responses) and print each message as JSON.",
        discussion: """
            Prints one JSON object per message: method and target (or status and reason), version, \
            headers as [[name, value], ...], trailers, body length and SHA-256. It stops where a \
            peer would, after a message that closes the connection or switches protocols, and \
            prints {"closed": true} or {"upgraded": true} with the count of bytes left unread. On a \
            parse error it prints {"error": ...} with the status a server would answer and the byte \
            offset, and exits with status 1.
            """
    )

    @Argument(help: "A file of raw bytes; standard input when omitted or '-'.")
    var file: String?

    @Flag(help: "Parse responses instead of requests.")
    var response = false

    @Flag(help: "Accept HTTP/1.1 requests without a Host field.")
    var noRequireHost = false

    @Flag(help: "Accept any token as a method, not only registered ones.")
    var anyMethod = false

    func run() throws {
        let bytes = try Self.readInput(self.file)
        let configuration = HTTPParserConfiguration(
            requireHost: !self.noRequireHost,
            methods: self.anyMethod ? .anyToken : .registered
        )
        if !Self.decode(bytes, response: self.response, configuration: configuration, emit: { print($0) }) {
            throw ExitCode(1)
        }
    }

    /// Decodes `bytes` and emits a JSON line per message; false when an error stopped it.
    static func decode(
        _ bytes: [UInt8],
        response: Bool,
        configuration: HTTPParserConfiguration,
        emit: @escaping (String) -> Void
    ) -> Bool {
        var buffer = ByteBuffer(bytes: bytes)
        if response {
            var printer = MessagePrinter<HTTPResponseHead>(describe: Self.describe, keepAlive: \.keepAlive, emit: emit)
            return printer.run(HTTPResponseParser(configuration: configuration), &buffer, isUpgraded: \.isUpgraded)
        }
        var printer = MessagePrinter<HTTPRequestHead>(describe: Self.describe, keepAlive: \.keepAlive, emit: emit)
        return printer.run(HTTPRequestParser(configuration: configuration), &buffer, isUpgraded: \.isUpgraded)
    }

    /// The whole content of `file`, or of standard input.
    static func readInput(_ file: String?) throws -> [UInt8] {
        var descriptor: Int32 = 0
        if let file, file != "-" {
            descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else { throw ValidationError("cannot open \(file)") }
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return bytes
    }

    static func describe(_ head: HTTPRequestHead, into json: inout JSONWriter) {
        json.key("method")
        json.string(head.request.method.rawValue)
        json.key("target")
        json.string(head.target)
        json.key("version")
        json.string(head.version.description)
        var headers: [(String, String)] = []
        if head.targetForm != .absolute, let authority = head.request.authority {
            headers.append(("Host", authority))
        }
        headers += fieldPairs(head.request.headerFields)
        json.key("headers")
        json.pairs(headers)
        describeFraming(head.framing, keepAlive: head.keepAlive, upgrade: head.isUpgrade, into: &json)
    }

    static func describe(_ head: HTTPResponseHead, into json: inout JSONWriter) {
        json.key("status")
        json.number(head.response.status.code)
        json.key("reason")
        json.string(head.response.status.reasonPhrase)
        json.key("version")
        json.string(head.version.description)
        json.key("headers")
        json.pairs(fieldPairs(head.response.headerFields))
        describeFraming(head.framing, keepAlive: head.keepAlive, upgrade: head.isUpgrade, into: &json)
    }

    static func describeFraming(_ framing: HTTPBodyFraming, keepAlive: Bool, upgrade: Bool, into json: inout JSONWriter) {
        json.key("framing")
        switch framing {
        case .empty: json.string("empty")
        case .contentLength(let length): json.string("content-length \(length)")
        case .chunked: json.string("chunked")
        case .untilClose: json.string("until-close")
        }
        json.key("keep_alive")
        json.bool(keepAlive)
        json.key("upgrade")
        json.bool(upgrade)
    }
}

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
                        self.emit("{\"closed\":true,\"remaining_bytes\":\(buffer.readableBytes)}")
                    }
                    return true
                }
            }
            if isUpgraded(parser) {
                self.emit("{\"upgraded\":true,\"remaining_bytes\":\(buffer.readableBytes)}")
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
            self.json.string(hexString(self.hasher.finalize()))
            self.json.endObject()
            self.emit(self.json.text)
        }
    }
}

/// Lower-case hexadecimal digits of `bytes`.
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: text, as: UTF8.self)
}
