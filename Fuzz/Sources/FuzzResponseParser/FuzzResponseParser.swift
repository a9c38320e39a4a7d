import AioWire
import FuzzSupport
import HTTPTypes
import NIOCore

/// Parses the input as responses (to HEAD when the input's length is odd), split in two at a
/// point the input chooses, and checks split invariance, bounds, and that the first complete
/// response serializes and parses back to the same response, body and trailers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let configuration = HTTPParserConfiguration(maxStartLineLength: 512, maxFieldLineLength: 512, maxHeadLength: 2048, maxFieldCount: 20)
    func parser() -> HTTPResponseParser {
        var parser = HTTPResponseParser(configuration: configuration)
        parser.expectResponse(to: size % 2 == 1 ? .head : .get)
        return parser
    }
    let whole: Outcome<HTTPResponseHead> = run(parser(), bytes, cut: bytes.count)
    let split: Outcome<HTTPResponseHead> = run(parser(), bytes, cut: cutPoint(bytes))
    precondition(whole.messages == split.messages && whole.error == split.error, "split changed the outcome")

    guard let message = whole.messages.first(where: \.complete), !message.head.isUpgrade,
        !message.head.isInformational, message.head.framing != .empty
    else { return 0 }
    var response = message.head.response
    response.headerFields = withoutFraming(response.headerFields)
    let chunked = message.head.framing == .chunked
    if chunked {
        response.headerFields[.transferEncoding] = "chunked"
    } else {
        response.headerFields[.contentLength] = String(message.body.count)
    }
    var wire = ByteBuffer()
    wire.writeResponseHead(response, version: message.head.version == .http1_0 && chunked ? .http1_1 : message.head.version)
    if chunked {
        writeChunkedBody(message.body, trailers: message.trailers, into: &wire)
    } else {
        wire.writeBytes(message.body)
    }
    let again: Outcome<HTTPResponseHead> = wire.withUnsafeReadableBytes {
        run(HTTPResponseParser(), $0, cut: $0.count)
    }
    guard let reparsed = again.messages.first, reparsed.complete else {
        preconditionFailure("serialized response does not parse: \(again.error ?? "incomplete")")
    }
    precondition(reparsed.head.response == response, "response changed")
    // The serializer writes the standard phrase where the response has none.
    let reason = response.status.reasonPhrase
    let expectedReason = reason.isEmpty ? ReasonPhrase.standard(for: response.status.code) ?? "" : reason
    precondition(reparsed.head.response.status.reasonPhrase == expectedReason, "reason changed")
    precondition(reparsed.body == message.body, "body changed")
    precondition(reparsed.trailers == message.trailers, "trailers changed")
    return 0
}
