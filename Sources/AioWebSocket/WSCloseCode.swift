/// A WebSocket close status code (RFC 6455 §7.4), as aiohttp's `WSCloseCode`.
///
/// Any `UInt16` can be held; ``isAllowedOnWire`` says whether a peer may send it.
public struct WSCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection was fulfilled.
    public static let ok = WSCloseCode(rawValue: 1000)
    /// 1001: an endpoint is going away, a server shutting down or a page left.
    public static let goingAway = WSCloseCode(rawValue: 1001)
    /// 1002: the peer broke the protocol.
    public static let protocolError = WSCloseCode(rawValue: 1002)
    /// 1003: a kind of data the endpoint cannot accept.
    public static let unsupportedData = WSCloseCode(rawValue: 1003)
    /// 1006: the connection closed without a close frame; never sent, only reported.
    public static let abnormalClosure = WSCloseCode(rawValue: 1006)
    /// 1007: a text message that is not UTF-8, or data inconsistent with its type.
    public static let invalidText = WSCloseCode(rawValue: 1007)
    /// 1008: a message that breaks the endpoint's policy.
    public static let policyViolation = WSCloseCode(rawValue: 1008)
    /// 1009: a message too big to process.
    public static let messageTooBig = WSCloseCode(rawValue: 1009)
    /// 1010: the client expected the server to negotiate an extension it did not.
    public static let mandatoryExtension = WSCloseCode(rawValue: 1010)
    /// 1011: the server met an unexpected condition.
    public static let internalError = WSCloseCode(rawValue: 1011)
    /// 1012: the service is restarting.
    public static let serviceRestart = WSCloseCode(rawValue: 1012)
    /// 1013: try again later.
    public static let tryAgainLater = WSCloseCode(rawValue: 1013)
    /// 1014: a gateway got a bad response upstream.
    public static let badGateway = WSCloseCode(rawValue: 1014)

    /// Whether a close frame may carry this code: 1000–1003, 1007–1014 and 3000–4999. 1004–1006
    /// and 1015 are reserved for reporting, the rest of 0–2999 is unassigned (RFC 6455 §7.4).
    public var isAllowedOnWire: Bool {
        switch self.rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    public var description: String { String(self.rawValue) }
}
