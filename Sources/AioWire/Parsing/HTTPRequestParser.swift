#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import HTTPTypes
import NIOCore

/// An incremental, strict HTTP/1.1 request parser (RFC 9110, RFC 9112).
///
/// Feed it bytes in any split and call ``decode(buffer:)`` until it returns nil: it yields a
/// ``HTTPParserEvent/head(_:)``, the body as slices of the input and an
/// ``HTTPParserEvent/end(_:)`` per request, pipelined requests one after the other. Anything
/// that breaks the grammar, the framing rules or a limit throws an ``HTTPProcessingError``
/// carrying the status to answer with and the byte offset where parsing stopped.
///
/// ```swift
/// var parser = HTTPRequestParser()
/// var buffer = ByteBuffer(string: "GET /hello HTTP/1.1\r\nHost: example.com\r\n\r\n")
/// while let event = try parser.decode(buffer: &buffer) {
///     if case .head(let head) = event { print(head.request.path!) }  // "/hello"
/// }
/// ```
///
/// After a request with ``HTTPRequestHead/isUpgrade`` (`CONNECT`, or `Upgrade` with
/// `Connection: upgrade`) the parser stops: the bytes left in the buffer belong to whatever
/// protocol follows. Call ``resume()`` to go on with HTTP when the upgrade is declined.
///
/// It is a `NIOSingleStepByteToMessageDecoder`, so it also works inside a SwiftNIO pipeline
/// through `ByteToMessageHandler` or `NIOSingleStepByteToMessageProcessor`.
public struct HTTPRequestParser: NIOSingleStepByteToMessageDecoder, DrainingDecoder, Sendable {
    public typealias InboundOut = HTTPParserEvent<HTTPRequestHead>

    private var decoder: HTTPMessageDecoder<RequestKind>

    /// A parser with the given limits and policies.
    public init(configuration: HTTPParserConfiguration = .init()) {
        self.decoder = HTTPMessageDecoder(kind: RequestKind(configuration: configuration), configuration: configuration)
    }

    /// The limits and policies in force.
    public var configuration: HTTPParserConfiguration { self.decoder.configuration }

    /// Bytes consumed since the first one: the stream offset of the next unread byte.
    public var consumedBytes: Int { self.decoder.consumed }

    // The two states below are stored, not computed from the decoder: a server keeps its parser
    // in a class, and reading a computed property of it from another module copies the whole
    // parser first (hundreds of bytes and their reference counts, several times a request).

    /// Whether the parser stopped after an upgrade request and leaves the rest of the input alone.
    public private(set) var isUpgraded = false

    /// Whether the parser sits between requests with no partial request buffered.
    public private(set) var isIdle = true

    /// Decodes the next event, or returns nil when more bytes are needed (or after an upgrade).
    public mutating func decode(buffer: inout ByteBuffer) throws -> InboundOut? {
        defer { self.updateState() }
        return try self.decoder.decode(buffer: &buffer)
    }

    /// Like ``decode(buffer:)`` at end of input: a request cut short is an ``IncompleteMessage``.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundOut? {
        defer { self.updateState() }
        return try self.decoder.decodeLast(buffer: &buffer, seenEOF: seenEOF)
    }

    /// Goes on parsing HTTP after an upgrade request the server chose not to honour.
    public mutating func resume() {
        self.decoder.resume()
        self.updateState()
    }

    private mutating func updateState() {
        self.isUpgraded = self.decoder.isUpgraded
        self.isIdle = self.decoder.isIdle
    }
}

/// The request side of ``HTTPMessageDecoder``.
struct RequestKind: HTTPMessageKind {
    struct StartLine: Sendable {
        var method: HTTPRequest.Method
        var target: RequestTarget
        var version: HTTPVersion
    }

    /// The settings of the configuration that requests need: which methods pass, whether
    /// `Host` is required, and the scheme given to origin-form targets.
    let methods: HTTPParserConfiguration.MethodPolicy
    let requireHost: Bool
    let scheme: String

    init(configuration: HTTPParserConfiguration) {
        self.methods = configuration.methods
        self.requireHost = configuration.requireHost
        self.scheme = configuration.scheme
    }

    static var startLinePart: LineTooLong.Part { .requestLine }
    static var sectionKind: FieldSectionParser.Kind { .requestHead }

    /// `request-line = method SP request-target SP HTTP-version`.
    func parseStartLine(_ line: UnsafeRawBufferPointer, base: Int) throws -> StartLine {
        let count = line.count
        func bad(_ message: String, at index: Int, status: HTTPResponse.Status = .badRequest) -> BadStatusLine {
            BadStatusLine(message, line: FieldSectionParser.printable(line), offset: base + index, status: status)
        }
        var index = 0
        while index < count, HTTPByte.isTokenChar(line[index]) { index += 1 }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[..<index])
        guard index > 0 else {
            throw bad("Invalid request line", at: 0)
        }
        guard index < count, line[index] == HTTPByte.sp else {
            throw BadHTTPMethod(
                method: FieldSectionParser.printable(UnsafeRawBufferPointer(rebasing: line[..<min(index + 1, count)])),
                message: index < count ? "Invalid character in method" : "Request line has no target",
                offset: base + index,
                status: .badRequest
            )
        }
        let method: HTTPRequest.Method
        if let registered = HTTPMethodRegistry.method(methodBytes) {
            method = registered
        } else if self.methods == .anyToken {
            method = HTTPRequest.Method(String(decoding: methodBytes, as: UTF8.self))!
        } else {
            throw BadHTTPMethod(
                method: FieldSectionParser.printable(methodBytes),
                message: "Method not implemented",
                offset: base,
                status: .notImplemented
            )
        }
        index += 1
        let targetStart = index
        index = line.endOfVisible(from: index)
        guard index > targetStart else {
            throw bad("Expected exactly one space before the request-target", at: index)
        }
        guard index < count, line[index] == HTTPByte.sp else {
            throw bad(index < count ? "Invalid character in request-target" : "Request line has no HTTP version", at: index)
        }
        let targetBytes = UnsafeRawBufferPointer(rebasing: line[targetStart..<index])
        let version = try HTTPVersion.parse(
            UnsafeRawBufferPointer(rebasing: line[(index + 1)...]),
            line: line,
            base: base + index + 1
        )
        let target = try RequestTarget(targetBytes, method: method, base: base + targetStart)
        return StartLine(method: method, target: target, version: version)
    }

    func makeHead(
        _ startLine: consuming StartLine,
        fields headerFields: HTTPFields,
        framing fields: FramingFields,
        base: Int
    ) throws -> HTTPRequestHead {
        let version = startLine.version
        if fields.hostCount > 1 {
            throw HTTPBadRequest("More than one Host field", offset: base)
        }
        if self.requireHost, version == .http1_1, fields.hostCount == 0 {
            throw HTTPBadRequest("Missing Host field", offset: base)
        }
        let isConnect = startLine.method == .connect
        var framing = HTTPBodyFraming.empty
        var transferCodings: [String] = []
        if fields.hasTransferEncoding {
            transferCodings = try TransferCodings.validateRequest(fields, version: version, offset: base)
            framing = .chunked
        } else if let length = fields.contentLength {
            framing = .contentLength(length)
        }
        // A CONNECT request has no content: what follows the head is the tunnel.
        if isConnect {
            framing = .empty
        }
        let keepAlive = version == .http1_1 ? !fields.connectionClose : fields.connectionKeepAlive && !fields.connectionClose
        let isUpgrade = isConnect || (fields.hasUpgrade && fields.connectionUpgrade)
        let form = startLine.target.form
        let request = HTTPRequest(
            method: startLine.method,
            scheme: form == .absolute ? startLine.target.scheme : (form == .authority ? nil : self.scheme),
            authority: startLine.target.authority ?? fields.host,
            path: startLine.target.path,
            headerFields: headerFields
        )
        var head = HTTPRequestHead(
            request: request,
            version: version,
            framing: framing,
            keepAlive: keepAlive,
            isUpgrade: isUpgrade,
            // An HTTP/1.0 client cannot read a 100 (RFC 9110 §10.1.1): its expectation is ignored.
            expectsContinue: fields.expectsContinue && version == .http1_1,
            transferCodings: transferCodings,
            targetForm: form
        )
        head.absoluteTarget = startLine.target.absolute
        return head
    }
}

extension HTTPVersion {
    /// Parses `HTTP-version = "HTTP/" DIGIT "." DIGIT`, accepting only 1.0 and 1.1 (others: 505).
    static func parse(_ bytes: UnsafeRawBufferPointer, line: UnsafeRawBufferPointer, base: Int) throws -> HTTPVersion {
        guard bytes.count == 8, bytes.baseAddress.map({ memcmp($0, "HTTP/", 5) == 0 }) == true,
            HTTPByte.isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), HTTPByte.isDigit(bytes[7])
        else {
            throw BadStatusLine("Invalid HTTP version", line: FieldSectionParser.printable(line), offset: base)
        }
        let version = HTTPVersion(major: Int(bytes[5] &- 0x30), minor: Int(bytes[7] &- 0x30))
        guard version == .http1_1 || version == .http1_0 else {
            throw BadStatusLine(
                "HTTP version \(version.major).\(version.minor) is not supported",
                line: FieldSectionParser.printable(line),
                offset: base,
                status: .httpVersionNotSupported
            )
        }
        return version
    }
}
