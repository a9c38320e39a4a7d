import HTTPTypes

/// The head of a parsed request: the request as swift-http-types' `HTTPRequest` plus what
/// HTTP/1.1 adds (version, framing, persistence, upgrade).
///
/// `request.authority` holds the `Host` field (or the authority of an absolute-form target) and
/// `Host` is not repeated in `request.headerFields`, as HTTP/2 and swift-http-types expect.
public struct HTTPRequestHead: Sendable, Hashable {
    /// Method, scheme, authority, path and header fields.
    public var request: HTTPRequest
    /// HTTP/1.0 or HTTP/1.1.
    public var version: HTTPVersion
    /// How the body is delimited.
    public var framing: HTTPBodyFraming
    /// Whether the connection stays open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// Whether the connection is asked to change protocol after this request: `CONNECT`, or an
    /// `Upgrade` field named in `Connection`. The parser stops after such a request until
    /// ``HTTPRequestParser/resume()`` is called.
    public var isUpgrade: Bool
    /// Whether the client sent `Expect: 100-continue` and waits before sending the body.
    public var expectsContinue: Bool
    /// Transfer codings applied before chunked, in the order listed (for example `["gzip"]`);
    /// the parser removes only the chunked coding.
    public var transferCodings: [String]
    /// Which of the four forms of RFC 9112 §3.2 the request-target had.
    public var targetForm: RequestTargetForm
    /// An absolute-form target as received, since the request keeps it only in parts.
    var absoluteTarget: String?

    /// A head from its parts.
    public init(
        request: HTTPRequest,
        version: HTTPVersion = .http1_1,
        framing: HTTPBodyFraming = .empty,
        keepAlive: Bool = true,
        isUpgrade: Bool = false,
        expectsContinue: Bool = false,
        transferCodings: [String] = [],
        targetForm: RequestTargetForm = .origin
    ) {
        self.request = request
        self.version = version
        self.framing = framing
        self.keepAlive = keepAlive
        self.isUpgrade = isUpgrade
        self.expectsContinue = expectsContinue
        self.transferCodings = transferCodings
        self.targetForm = targetForm
    }

    /// The request-target as it appeared on the request line (for absolute-form, rebuilt from
    /// scheme, authority and path).
    public var target: String {
        switch self.targetForm {
        case .origin, .asterisk:
            return self.request.path ?? ""
        case .authority:
            return self.request.authority ?? ""
        case .absolute:
            return self.absoluteTarget
                ?? "\(self.request.scheme ?? "http")://\(self.request.authority ?? "")\(self.request.path ?? "")"
        }
    }
}

/// The form of a request-target (RFC 9112 §3.2).
public enum RequestTargetForm: Sendable, Hashable {
    /// `/path?query`, the usual form.
    case origin
    /// `http://host/path`, sent to proxies.
    case absolute
    /// `host:port`, only for `CONNECT`.
    case authority
    /// `*`, only for `OPTIONS`.
    case asterisk
}
