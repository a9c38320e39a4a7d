/// The `Transfer-Encoding` rules of RFC 9112 §6.1 and §6.3.
enum TransferCodings {
    /// Transfer codings of the IANA registry that a recipient can be asked to undo, besides chunked.
    private static let known: Set<String> = ["gzip", "x-gzip", "deflate", "compress", "x-compress"]

    /// Checks the `Transfer-Encoding` of a request and returns the codings applied before chunked.
    ///
    /// Refused: any use in HTTP/1.0, together with `Content-Length`, an unknown coding (501),
    /// and a list whose final coding is not chunked or that names chunked twice (400).
    static func validateRequest(_ fields: FramingFields, version: HTTPVersion, offset: Int) throws -> [String] {
        try validateCommon(fields, version: version, offset: offset)
        for coding in fields.transferCodings where coding != "chunked" && !known.contains(coding) {
            throw TransferEncodingError(
                "Transfer coding '\(coding)' is not supported",
                offset: offset,
                status: .notImplemented
            )
        }
        guard let others = codingsBeforeFinalChunked(fields.transferCodings) else {
            throw TransferEncodingError("Transfer-Encoding must end with chunked", offset: offset)
        }
        return others
    }

    /// The framing of a response with `Transfer-Encoding`: chunked when chunked is final,
    /// otherwise the body runs until the connection closes (RFC 9112 §6.3 rule 4).
    static func responseFraming(
        _ fields: FramingFields,
        version: HTTPVersion,
        offset: Int
    ) throws -> (HTTPBodyFraming, [String]) {
        try validateCommon(fields, version: version, offset: offset)
        if let others = codingsBeforeFinalChunked(fields.transferCodings) {
            return (.chunked, others)
        }
        return (.untilClose, fields.transferCodings)
    }

    private static func validateCommon(_ fields: FramingFields, version: HTTPVersion, offset: Int) throws {
        if version == .http1_0 {
            throw TransferEncodingError("Transfer-Encoding is not allowed in HTTP/1.0", offset: offset)
        }
        if fields.contentLength != nil {
            throw TransferEncodingError("Transfer-Encoding and Content-Length together", offset: offset)
        }
    }

    /// The codings before a single, final chunked; nil when chunked is not final or repeated.
    private static func codingsBeforeFinalChunked(_ codings: [String]) -> [String]? {
        guard codings.last == "chunked" else { return nil }
        let others = Array(codings.dropLast())
        return others.contains("chunked") ? nil : others
    }
}
