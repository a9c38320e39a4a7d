import AioWire
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The same inputs for both sides.
public enum Inputs {
    public static let browserGet = """
        GET /api/v1/items?page=2&sort=desc HTTP/1.1\r
        Host: www.example.com\r
        Connection: keep-alive\r
        Cache-Control: max-age=0\r
        sec-ch-ua: "Chromium";v="120", "Not?A_Brand";v="24"\r
        sec-ch-ua-mobile: ?0\r
        sec-ch-ua-platform: "Linux"\r
        Upgrade-Insecure-Requests: 1\r
        User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r
        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
        Accept-Encoding: gzip, deflate, br\r
        Accept-Language: en-US,en;q=0.9\r
        Cookie: session=abc123def456; theme=dark\r
        \r

        """

    public static let post1K =
        "POST /api/v1/items HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n"
        + "Content-Type: application/json\r\nContent-Length: 1024\r\n\r\n" + String(repeating: "x", count: 1024)

    public static let chunked64K: String = {
        var text = "POST /upload HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.5.0\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<16 {
            text += "1000\r\n" + String(repeating: "y", count: 4096) + "\r\n"
        }
        return text + "0\r\n\r\n"
    }()

    public static let pipelined16: String = (0..<16).map {
        "GET /item/\($0) HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n"
    }.joined()

    public static let all: [(name: String, text: String, requests: Int)] = [
        ("browser GET", browserGet, 1),
        ("POST 1 KiB", post1K, 1),
        ("chunked 64 KiB", chunked64K, 1),
        ("16 pipelined GETs", pipelined16, 16),
    ]
}

/// Who parses: AioWire on its own, AioWire inside a NIO pipeline, or the peer.
public enum Side: String, CaseIterable, Sendable {
    /// `HTTPRequestParser.decode` called directly, as AioServer does.
    case aio = "AioWire parser"
    /// `HTTPRequestParser` behind `ByteToMessageHandler` in an `EmbeddedChannel`.
    case aioChannel = "AioWire in EmbeddedChannel"
    /// NIOHTTP1's `HTTPRequestDecoder` and `HTTP1ToHTTPServerCodec` in an `EmbeddedChannel`,
    /// what Hummingbird runs per request.
    case nio = "NIOHTTP1 + HTTPRequest conversion"

    /// A parser of this side, ready for a keep-alive stream of requests.
    public func makeRunner() throws -> Runner {
        switch self {
        case .aio:
            return Runner(parser: HTTPRequestParser())
        case .aioChannel:
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestParser()))
            return Runner(channel: channel, aio: true)
        case .nio:
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
            )
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            return Runner(channel: channel, aio: false)
        }
    }
}

/// Parses inputs on one side and counts the requests that ended.
public final class Runner {
    private var parser: HTTPRequestParser?
    private let channel: EmbeddedChannel?
    private let aio: Bool

    init(parser: HTTPRequestParser) {
        self.parser = parser
        self.channel = nil
        self.aio = true
    }

    init(channel: EmbeddedChannel, aio: Bool) {
        self.parser = nil
        self.channel = channel
        self.aio = aio
    }

    /// Parses every request of `input`, handing each event to ``consume(_:)``; returns the
    /// requests seen.
    @inline(__always)
    public func parse(_ input: ByteBuffer) throws -> Int {
        var ends = 0
        if var parser = self.parser {
            self.parser = nil
            defer { self.parser = parser }
            var buffer = input
            while let event = try parser.decode(buffer: &buffer) {
                if case .end = event { ends += 1 }
                consume(event)
            }
            return ends
        }
        let channel = self.channel!
        try channel.writeInbound(input)
        if self.aio {
            while let event = try channel.readInbound(as: HTTPParserEvent<AioWire.HTTPRequestHead>.self) {
                if case .end = event { ends += 1 }
                consume(event)
            }
        } else {
            while let part = try channel.readInbound(as: HTTPRequestPart.self) {
                if case .end = part { ends += 1 }
                consume(part)
            }
        }
        return ends
    }

    /// Closes the channel, if any.
    public func finish() throws {
        _ = try self.channel?.finish()
    }
}

/// Keeps the optimizer from dropping a value, without boxing it.
@inline(never)
public func consume<Value>(_ value: Value) {
    withExtendedLifetime(value) {}
}
