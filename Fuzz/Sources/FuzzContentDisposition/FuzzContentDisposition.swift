import AioMultipart

/// Parses the input as a Content-Disposition value; when it parses, builds a header from the
/// plain parameters and checks that it parses back to the same type and values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContentDisposition(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var warnings = 0
    guard let parsed = parseContentDisposition(bytes, diagnostics: { _ in warnings += 1 }) else {
        precondition(warnings > 0, "a refused header without a warning")
        return 0
    }
    _ = parsed.filename
    let plain = parsed.parameters.filter { !$0.key.contains("*") }.sorted { $0.key < $1.key }
    let header: String
    do {
        header = try contentDispositionHeader(parsed.type, parameters: plain.map { ($0.key, $0.value) }, quoteFields: false)
    } catch {
        preconditionFailure("a parsed type or name is not a token: \(error)")
    }
    guard let again = parseContentDisposition(header) else {
        preconditionFailure("the rebuilt header does not parse: \(header)")
    }
    precondition(again.type == parsed.type, "type changed: \(header)")
    precondition(again.parameters == Dictionary(uniqueKeysWithValues: plain.map { ($0.key, $0.value) }), "values changed: \(header)")
    return 0
}
