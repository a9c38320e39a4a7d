import AioWire
import HTTPTypes
import NIOCore
import NIOEmbedded
import Testing

/// The parsers inside a SwiftNIO pipeline, behind `ByteToMessageHandler`.
@Suite("In a channel pipeline")
struct PipelineTests {
    @Test func everyEventOfEveryWrite() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestParser()))
        for index in 0..<3 {
            try channel.writeInbound(ByteBuffer(string: "POST /\(index) HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab"))
            var events: [HTTPParserEvent<HTTPRequestHead>] = []
            while let event = try channel.readInbound(as: HTTPParserEvent<HTTPRequestHead>.self) {
                events.append(event)
            }
            #expect(events.count == 3, "head, body and end of request \(index), with no byte left over")
            #expect(events.last == .end(nil))
        }
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        _ = try channel.readInbound(as: HTTPParserEvent<HTTPRequestHead>.self)
        #expect(try channel.readInbound(as: HTTPParserEvent<HTTPRequestHead>.self) == .end(nil))
        #expect(try channel.finish().isClean)
    }

    @Test func responseBodyUntilCloseEndsAtEOF() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPResponseParser()))
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\nbody"))
        channel.pipeline.fireChannelInactive()
        var events: [HTTPParserEvent<HTTPResponseHead>] = []
        while let event = try channel.readInbound(as: HTTPParserEvent<HTTPResponseHead>.self) {
            events.append(event)
        }
        #expect(events.count == 3)
        #expect(events.last == .end(nil))
    }
}
