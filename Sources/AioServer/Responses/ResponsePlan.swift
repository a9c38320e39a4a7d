import AioWire

/// How a response goes on the wire, decided from the request and the response alone before its
/// head is written (RFC 9112 §6.3, §9.6): how its body is framed, what the head says of it, and
/// whether the connection closes after it. A pure value, tested without sockets.
struct ResponsePlan: Equatable {
    /// How the body bytes are delimited.
    var framing: ResponseFraming
    /// The framing fields the head carries in place of the response's own.
    var framingFields: ServerFields.Framing
    /// The connection closes once the response is written.
    var closes: Bool

    /// The plan for a response with status `status` to a request of `version` (a `HEAD` one
    /// when `isHeadRequest`), whose body has `bodyLength` bytes when the responder knows it or
    /// else the length its own `Content-Length` declares (`declaredLength`, read only when
    /// needed), on a connection that closes after it anyway when `closing`.
    init(
        status: Int,
        isHeadRequest: Bool,
        version: HTTPVersion,
        bodyLength: Int?,
        declaredLength: @autoclosure () -> Int?,
        closing: Bool
    ) {
        self.closes = closing
        if isHeadRequest || status == 204 || status == 304 || status < 200 {
            // No body bytes at all; a HEAD or 304 still says how long the body would be.
            self.framing = .none
            if status == 204 || status < 200 {
                self.framingFields = .none
            } else if let bodyLength {
                self.framingFields = .contentLength(bodyLength)
            } else {
                self.framingFields = .asIs
            }
        } else if let length = bodyLength ?? declaredLength().flatMap({ $0 >= 0 ? $0 : nil }) {
            self.framing = .length(length)
            self.framingFields = .contentLength(length)
        } else if version == .http1_1 {
            self.framing = .chunked
            self.framingFields = .chunked
        } else {
            // HTTP/1.0 has no chunks: the body ends with the connection.
            self.framing = .untilClose
            self.framingFields = .none
            self.closes = true
        }
    }

    /// The `Connection` field the head carries: `close` when closing, `keep-alive` for an
    /// HTTP/1.0 client that stays (it would close otherwise), none for HTTP/1.1's default.
    func connectionField(version: HTTPVersion) -> String? {
        self.closes ? "close" : (version == .http1_0 ? "keep-alive" : nil)
    }
}

/// How a response body is delimited on the wire.
enum ResponseFraming: Sendable, Equatable {
    /// No body bytes at all (HEAD, 1xx, 204, 304).
    case none
    /// Exactly this many bytes.
    case length(Int)
    /// Chunked transfer coding.
    case chunked
    /// Until the connection closes (HTTP/1.0 without a known length).
    case untilClose
}
