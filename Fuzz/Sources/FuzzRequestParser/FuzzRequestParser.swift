import AioWire
import FuzzSupport
import HTTPTypes
import NIOCore

/// Parses the input as requests, split in two at a point the input chooses, and checks: the
/// outcome equals the unsplit one; nothing is consumed beyond the input; and the first complete
/// request serializes and parses back to the same request, body and trailers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let configuration = HTTPParserConfiguration(
        maxStartLineLength: 512,
        maxFieldLineLength: 512,
        maxHeadLength: 2048,
        maxFieldCount: 20,
        requireHost: size % 2 == 0,
        methods: size % 3 == 0 ? .registered : .anyToken
    )
    let whole: Outcome<HTTPRequestHead> = run(HTTPRequestParser(configuration: configuration), bytes, cut: bytes.count)
    let split: Outcome<HTTPRequestHead> = run(HTTPRequestParser(configuration: configuration), bytes, cut: cutPoint(bytes))
    precondition(whole.messages == split.messages && whole.error == split.error, "split changed the outcome")

    guard let message = whole.messages.first(where: \.complete) else { return 0 }
    let head = message.head
    var request = head.request
    request.headerFields = withoutFraming(request.headerFields)
    let chunked = head.framing == .chunked
    if chunked {
        request.headerFields[.transferEncoding] = (head.transferCodings + ["chunked"]).joined(separator: ", ")
    } else if !message.body.isEmpty {
        request.headerFields[.contentLength] = String(message.body.count)
    }
    var wire = ByteBuffer()
    do {
        try wire.writeRequestHead(request, version: head.version, absoluteForm: head.targetForm == .absolute)
    } catch {
        preconditionFailure("a parsed request does not serialize: \(error)")
    }
    if chunked {
        writeChunkedBody(message.body, trailers: message.trailers, into: &wire)
    } else {
        wire.writeBytes(message.body)
    }
    let again: Outcome<HTTPRequestHead> = wire.withUnsafeReadableBytes {
        run(HTTPRequestParser(configuration: .init(requireHost: configuration.requireHost, methods: configuration.methods)), $0, cut: $0.count)
    }
    guard let reparsed = again.messages.first, reparsed.complete else {
        preconditionFailure("serialized request does not parse: \(again.error ?? "incomplete")")
    }
    precondition(reparsed.head.request == request, "request changed")
    precondition(reparsed.head.version == head.version)
    precondition(reparsed.body == message.body, "body changed")
    precondition(reparsed.trailers == message.trailers, "trailers changed")
    return 0
}
