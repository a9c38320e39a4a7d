import AioHTTP
import ArgumentParser
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
