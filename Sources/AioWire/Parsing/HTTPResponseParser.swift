import HTTPTypes
import NIOCore

/// An incremental, strict HTTP/1.1 response parser (RFC 9110, RFC 9112).
///
/// It works like ``HTTPRequestParser``. Whether a response has a body depends on the request it
/// answers, so tell the parser each request method in order with
/// ``expectResponse(to:)``; without that, responses are read as answers to GET. A 101 response,
/// or a 2xx answer to `CONNECT`, stops the parser: the rest of the bytes belong to the new
/// protocol.
public struct HTTPResponseParser: NIOSingleStepByteToMessageDecoder, DrainingDecoder, Sendable {
    public typealias InboundOut = HTTPParserEvent<HTTPResponseHead>

    private var decoder: HTTPMessageDecoder<ResponseKind>

    /// A parser with the given limits.
    public init(configuration: HTTPParserConfiguration = .init()) {
        self.decoder = HTTPMessageDecoder(kind: ResponseKind(), configuration: configuration)
    }

    /// Bytes consumed since the first one: the stream offset of the next unread byte.
    public var consumedBytes: Int { self.decoder.consumed }

    /// Whether the parser stopped after a protocol switch and leaves the rest of the input alone.
    public var isUpgraded: Bool { self.decoder.isUpgraded }

    /// Records that a request with `method` was sent, so the next unanswered response is read as
    /// its answer (a response to HEAD has no body, a 2xx to CONNECT opens a tunnel).
    public mutating func expectResponse(to method: HTTPRequest.Method) {
        self.decoder.kind.pendingMethods.append(method)
    }

    /// Decodes the next event, or returns nil when more bytes are needed (or after an upgrade).
    public mutating func decode(buffer: inout ByteBuffer) throws -> InboundOut? {
        try self.decoder.decode(buffer: &buffer)
    }

    /// Like ``decode(buffer:)`` at end of input: a body delimited by the close ends here, any
    /// other message cut short is an ``IncompleteMessage``.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundOut? {
        try self.decoder.decodeLast(buffer: &buffer, seenEOF: seenEOF)
    }
}

/// The response side of ``HTTPMessageDecoder``.
struct ResponseKind: HTTPMessageKind {
    struct StartLine: Sendable {
        var version: HTTPVersion
        var status: HTTPResponse.Status
    }

    /// Methods of the requests still waiting for their final response, oldest first.
    var pendingMethods: [HTTPRequest.Method] = []

    static var startLinePart: LineTooLong.Part { .statusLine }
    static var sectionKind: FieldSectionParser.Kind { .responseHead }

    /// `status-line = HTTP-version SP status-code SP [ reason-phrase ]`; the second SP may be
    /// missing when the reason is empty.
    func parseStartLine(_ line: UnsafeRawBufferPointer, base: Int) throws -> StartLine {
        let count = line.count
        func bad(_ message: String, at index: Int) -> BadStatusLine {
            BadStatusLine(message, line: FieldSectionParser.printable(line), offset: base + index)
        }
        guard count >= 12, line[8] == HTTPByte.sp else {
            throw bad("Invalid status line", at: min(count, 8))
        }
        let version = try HTTPVersion.parse(UnsafeRawBufferPointer(rebasing: line[..<8]), line: line, base: base)
        var code = 0
        for index in 9..<12 {
            guard HTTPByte.isDigit(line[index]) else { throw bad("Invalid status code", at: index) }
            code = code * 10 + Int(line[index] &- 0x30)
        }
        guard code >= 100 else { throw bad("Invalid status code", at: 9) }
        var reason = ""
        if count > 12 {
            guard line[12] == HTTPByte.sp else { throw bad("Invalid status code", at: 12) }
            reason.unicodeScalars.reserveCapacity(count - 13)
            for index in 13..<count {
                let byte = line[index]
                guard HTTPByte.isFieldValueChar(byte) else { throw bad("Invalid character in reason phrase", at: index) }
                // The reason phrase is ISO Latin 1, as swift-http-types expects.
                reason.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return StartLine(version: version, status: HTTPResponse.Status(code: code, reasonPhrase: reason))
    }

    mutating func makeHead(
        _ startLine: consuming StartLine,
        fields headerFields: HTTPFields,
        framing fields: FramingFields,
        base: Int
    ) throws -> HTTPResponseHead {
        let status = startLine.status
        let version = startLine.version
        let isInterim = status.kind == .informational && status.code != 101
        let method = self.pendingMethods.first ?? .get
        if !isInterim, !self.pendingMethods.isEmpty {
            self.pendingMethods.removeFirst()
        }
        var framing = HTTPBodyFraming.untilClose
        var transferCodings: [String] = []
        var isUpgrade = false
        if status.kind == .informational || status.code == 204 || status.code == 304 || method == .head {
            framing = .empty
            isUpgrade = status.code == 101
        } else if method == .connect, status.kind == .successful {
            framing = .empty
            isUpgrade = true
        } else if fields.hasTransferEncoding {
            (framing, transferCodings) = try TransferCodings.responseFraming(fields, version: version, offset: base)
        } else if let length = fields.contentLength {
            framing = .contentLength(length)
        }
        let persistent = version == .http1_1 ? !fields.connectionClose : fields.connectionKeepAlive && !fields.connectionClose
        let head = HTTPResponseHead(
            response: HTTPResponse(status: status, headerFields: headerFields),
            version: version,
            framing: framing,
            keepAlive: persistent && framing != .untilClose && !isUpgrade,
            isUpgrade: isUpgrade,
            transferCodings: transferCodings
        )
        return head
    }
}
