import HTTPTypes

/// Fields a server writes into a response head in place of the response's own
/// (see ``NIOCore/ByteBuffer/writeResponseHead(_:version:serverFields:)``).
public struct ServerFields: Sendable, Hashable {
    /// How the body is framed.
    public enum Framing: Sendable, Hashable {
        /// The response's own `Content-Length` and `Transfer-Encoding` are written as they are.
        case asIs
        /// No body: the response's own framing fields are dropped and none written.
        case none
        /// `Content-Length: n`, replacing the response's own framing fields.
        case contentLength(Int)
        /// `Transfer-Encoding: chunked`, replacing the response's own framing fields.
        case chunked
    }

    /// The framing to write.
    public var framing: Framing
    /// `Connection` to write in place of the response's own, if any.
    public var connection: String?
    /// `Date` to write when the response has none.
    public var date: String?
    /// `Server` to write when the response has none.
    public var server: String?

    /// Fields to write: by default none, and the response's own left as they are.
    public init(framing: Framing = .asIs, connection: String? = nil, date: String? = nil, server: String? = nil) {
        self.framing = framing
        self.connection = connection
        self.date = date
        self.server = server
    }

    var replacesFraming: Bool { self.framing != .asIs }

    /// The most bytes these fields and the empty line after them take in a head.
    var room: Int {
        64 + (self.connection?.utf8.count ?? 0) + (self.date?.utf8.count ?? 0) + (self.server?.utf8.count ?? 0)
    }

    enum Role {
        case other, contentLength, transferEncoding, connection, date, server
    }

    /// What a response field is to the server, by its canonical name.
    @inline(__always)
    static func role(of name: HTTPField.Name) -> Role {
        let canonical = name.canonicalName
        switch canonical.utf8.count {
        case 4 where canonical == "date": return .date
        case 6 where canonical == "server": return .server
        case 10 where canonical == "connection": return .connection
        case 14 where canonical == "content-length": return .contentLength
        case 17 where canonical == "transfer-encoding": return .transferEncoding
        default: return .other
        }
    }
}
