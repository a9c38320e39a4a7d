/// What the fields of one head say about framing and the connection, gathered while they are
/// parsed so that nothing has to be looked up again.
struct FramingFields: Sendable {
    /// The agreed `Content-Length`, once seen.
    var contentLength: Int?
    /// Every transfer coding listed by `Transfer-Encoding` field lines, lower-cased, in order.
    var transferCodings: [String] = []
    /// Whether any `Transfer-Encoding` field line was present, even an empty one.
    var hasTransferEncoding = false
    /// `Connection` tokens.
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionUpgrade = false
    /// `Host` field lines seen, and the first value.
    var hostCount = 0
    var host: String?
    /// Whether an `Upgrade` field is present.
    var hasUpgrade = false
    /// Whether `Expect: 100-continue` is present.
    var expectsContinue = false

    /// Records a framing field that `FieldSectionParser` recognised.
    mutating func record(
        _ role: FieldRole,
        value: UnsafeRawBufferPointer,
        valueOffset: Int,
        name: () -> String
    ) throws {
        switch role {
        case .other:
            break
        case .contentLength:
            let length = try Self.parseContentLength(value, offset: valueOffset)
            if let known = self.contentLength, known != length {
                throw ContentLengthError("Conflicting Content-Length values", offset: valueOffset)
            }
            self.contentLength = length
        case .transferEncoding:
            self.hasTransferEncoding = true
            try Self.forEachListElement(value, offset: valueOffset) { element, offset in
                // transfer-coding = token *( OWS ";" OWS transfer-parameter ): only the name matters here.
                var end = 0
                while end < element.count, HTTPByte.isTokenChar(element[end]) { end += 1 }
                guard end > 0 else {
                    throw TransferEncodingError("Invalid transfer coding", offset: offset)
                }
                if end < element.count {
                    var rest = end
                    while rest < element.count, HTTPByte.isWhitespace(element[rest]) { rest += 1 }
                    guard rest < element.count, element[rest] == HTTPByte.semicolon else {
                        throw TransferEncodingError("Invalid transfer coding", offset: offset + rest)
                    }
                }
                let coding = UnsafeRawBufferPointer(rebasing: element[..<end])
                self.transferCodings.append(
                    String(unsafeUninitializedCapacity: end) { target in
                        for index in 0..<end { target[index] = HTTPByte.lowercased(coding[index]) }
                        return end
                    }
                )
            }
        case .connection:
            try Self.forEachListElement(value, offset: valueOffset) { element, _ in
                if element.equalsCaseInsensitive("close") {
                    self.connectionClose = true
                } else if element.equalsCaseInsensitive("keep-alive") {
                    self.connectionKeepAlive = true
                } else if element.equalsCaseInsensitive("upgrade") {
                    self.connectionUpgrade = true
                }
            }
        case .host:
            self.hostCount += 1
            if self.hostCount == 1 {
                guard URIAuthority.isValid(value, requirePort: false) else {
                    throw InvalidHeader(name: name(), message: "Invalid Host", offset: valueOffset)
                }
            }
        case .upgrade:
            self.hasUpgrade = true
        case .expect:
            if value.equalsCaseInsensitive("100-continue") {
                self.expectsContinue = true
            }
        }
    }

    /// `Content-Length = 1*DIGIT`, also accepting a list of identical values (RFC 9110 §8.6).
    static func parseContentLength(_ value: UnsafeRawBufferPointer, offset: Int) throws -> Int {
        var result: Int?
        try forEachListElement(value, offset: offset) { element, elementOffset in
            var length = 0
            for index in 0..<element.count {
                let byte = element[index]
                guard HTTPByte.isDigit(byte) else {
                    throw ContentLengthError("Invalid character in Content-Length", offset: elementOffset + index)
                }
                let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(byte &- 0x30))
                guard !overflow1, !overflow2 else {
                    throw ContentLengthError("Content-Length overflow", offset: elementOffset + index)
                }
                length = sum
            }
            if let known = result, known != length {
                throw ContentLengthError("Conflicting Content-Length values", offset: elementOffset)
            }
            result = length
        }
        guard let result else {
            throw ContentLengthError("Empty Content-Length", offset: offset)
        }
        return result
    }

    /// Calls `body` with each element of a comma-separated list (RFC 9110 §5.6.1), OWS trimmed.
    ///
    /// Empty elements are skipped, as the list rule asks of recipients; a value of nothing but
    /// empty elements gives no call.
    static func forEachListElement(
        _ value: UnsafeRawBufferPointer,
        offset: Int,
        _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws {
        var start = 0
        let count = value.count
        while start <= count {
            var end = start
            while end < count, value[end] != HTTPByte.comma { end += 1 }
            var first = start
            var last = end
            while first < last, HTTPByte.isWhitespace(value[first]) { first += 1 }
            while last > first, HTTPByte.isWhitespace(value[last - 1]) { last -= 1 }
            if first < last {
                try body(UnsafeRawBufferPointer(rebasing: value[first..<last]), offset + first)
            }
            start = end + 1
        }
    }
}
