import AioTestSupport
import AioWire
import HTTPTypes
import NIOCore
import Testing

/// Parses `text` (Latin-1) as requests in every split, expects all splits to agree, and returns
/// the outcome.
func parseRequests(
    _ text: String,
    _ configuration: HTTPParserConfiguration = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome<HTTPRequestHead> {
    let bytes = latin1(text)
    let parser = HTTPRequestParser(configuration: configuration)
    let reference = driveRequests(bytes, pieces: Splits.whole(bytes.count), parser: parser)
    for pieces in Splits.all(bytes.count) {
        let outcome = driveRequests(bytes, pieces: pieces, parser: parser)
        #expect(outcome == reference, "split \(pieces) differs", sourceLocation: sourceLocation)
    }
    return reference
}

/// Parses `text` (Latin-1) as responses in every split, like ``parseRequests(_:_:sourceLocation:)``.
func parseResponses(
    _ text: String,
    methods: [HTTPRequest.Method] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome<HTTPResponseHead> {
    let bytes = latin1(text)
    var parser = HTTPResponseParser()
    for method in methods { parser.expectResponse(to: method) }
    let reference = driveResponses(bytes, pieces: Splits.whole(bytes.count), parser: parser)
    for pieces in Splits.all(bytes.count) {
        let outcome = driveResponses(bytes, pieces: pieces, parser: parser)
        #expect(outcome == reference, "split \(pieces) differs", sourceLocation: sourceLocation)
    }
    return reference
}

/// The error a whole-input parse throws, during input or at its end.
func requestError(_ text: String, _ configuration: HTTPParserConfiguration = .init()) -> (any Error)? {
    var parser = HTTPRequestParser(configuration: configuration)
    var buffer = ByteBuffer(bytes: latin1(text))
    do {
        while try parser.decode(buffer: &buffer) != nil {}
        while try parser.decodeLast(buffer: &buffer, seenEOF: true) != nil {}
        return nil
    } catch {
        return error
    }
}
