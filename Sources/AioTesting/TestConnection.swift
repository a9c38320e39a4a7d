import AioWire
import HTTPTypes
import NIOCore
import NIOPosix

/// A response read by a ``TestConnection``: head, whole body and trailers.
public struct TestResponse: Sendable {
    /// The parsed head.
    public var head: HTTPResponseHead
    /// The body, after chunked decoding.
    public var body: ByteBuffer
    /// Trailer fields of a chunked body.
    public var trailers: HTTPFields?

    /// The status.
    public var status: HTTPResponse.Status { self.head.response.status }
    /// The header fields.
    public var headerFields: HTTPFields { self.head.response.headerFields }
    /// The body as UTF-8 text.
    public var text: String { String(buffer: self.body) }
}

/// A raw TCP connection to a test server: send any bytes, read responses with AioWire's parser,
/// see when the server closes.
public final class TestConnection: Sendable {
    private let channel: any Channel
    private let state: AsyncState

    private init(channel: any Channel, inbound: AsyncStream<ByteBuffer>) {
        self.channel = channel
        self.state = AsyncState(inbound: inbound)
    }

    /// A connection a test drops without closing is closed then, not left half-open until the
    /// test process exits.
    deinit {
        self.channel.close(promise: nil)
    }

    /// Connects to `host`:`port`.
    public static func connect(host: String, port: Int) async throws -> TestConnection {
        let (inbound, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .connect(host: host, port: port)
            .get()
        return TestConnection(channel: channel, inbound: inbound)
    }

    /// Sends `text`'s UTF-8 bytes as they are.
    public func send(_ text: String) async throws {
        try await self.send(ByteBuffer(string: text))
    }

    /// Sends `bytes` as they are.
    public func send(_ bytes: ByteBuffer) async throws {
        try await self.channel.writeAndFlush(bytes)
    }

    /// Sends `request` with `body` (framed by `Content-Length` when there is one) and reads the
    /// response.
    public func request(_ request: HTTPRequest, body: ByteBuffer? = nil) async throws -> TestResponse {
        var request = request
        if let body {
            request.headerFields[.contentLength] = String(body.readableBytes)
        }
        var buffer = ByteBuffer()
        try buffer.writeRequestHead(request)
        if let body { buffer.writeImmutableBuffer(body) }
        try await self.send(buffer)
        return try await self.readResponse(to: request.method)
    }

    /// Reads the next complete response, the answer to a `method` request; interim (1xx)
    /// responses are returned too.
    public func readResponse(to method: HTTPRequest.Method = .get) async throws -> TestResponse {
        try await self.state.readResponse(to: method)
    }

    /// Reads until the server closes and returns what arrived that was not read yet.
    public func readToEnd() async throws -> ByteBuffer {
        try await self.state.readToEnd()
    }

    /// Half-closes: the server sees end of input, the connection stays open for reading.
    public func shutdownOutput() async throws {
        try await self.channel.close(mode: .output)
    }

    /// Closes the connection.
    public func close() async throws {
        try? await self.channel.close()
    }

    /// Resets the connection: closes it with an RST (`SO_LINGER` 0), as a client that crashed
    /// or a middlebox that gave up would, instead of the orderly FIN.
    public func reset() async throws {
        if let socket = self.channel as? any SocketOptionProvider {
            try await socket.setSoLinger(NIOLinger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await self.channel.close()
    }
}

/// The reading side of a ``TestConnection``, one reader at a time.
private actor AsyncState {
    private var iterator: AsyncStream<ByteBuffer>.AsyncIterator
    private var buffer = ByteBuffer()
    private var parser = HTTPResponseParser(configuration: .init(maxHeadLength: 1 << 20))
    private var ended = false

    init(inbound: AsyncStream<ByteBuffer>) {
        self.iterator = inbound.makeAsyncIterator()
    }

    func readResponse(to method: HTTPRequest.Method) async throws -> TestResponse {
        self.parser.expectResponse(to: method)
        var head: HTTPResponseHead?
        var body = ByteBuffer()
        while true {
            let event = self.ended
                ? try self.parser.decodeLast(buffer: &self.buffer, seenEOF: true)
                : try self.parser.decode(buffer: &self.buffer)
            if let event {
                switch event {
                case .head(let parsed): head = parsed
                case .body(var bytes): body.writeBuffer(&bytes)
                case .end(let trailers): return TestResponse(head: head!, body: body, trailers: trailers)
                }
                continue
            }
            guard !self.ended else { throw ConnectionClosedByServer() }
            try await self.fill()
        }
    }

    func readToEnd() async throws -> ByteBuffer {
        while !self.ended { try await self.fill() }
        return self.buffer
    }

    private func fill() async throws {
        // One reader at a time: the iterator is taken out while waiting.
        var iterator = self.iterator
        let next = await iterator.next(isolation: self)
        self.iterator = iterator
        if var bytes = next {
            self.buffer.writeBuffer(&bytes)
        } else {
            self.ended = true
        }
    }
}

/// Passes what arrives, and the end of it, to an `AsyncStream`.
private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let continuation: AsyncStream<ByteBuffer>.Continuation

    init(continuation: AsyncStream<ByteBuffer>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.continuation.yield(self.unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.continuation.finish()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            self.continuation.finish()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The server closed the connection before a complete response arrived.
public struct ConnectionClosedByServer: Error, Hashable {
    /// The error.
    public init() {}
}
