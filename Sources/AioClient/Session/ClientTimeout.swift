/// How long a request may take, as aiohttp's `ClientTimeout`; nil means no limit. In seconds.
///
/// ```swift
/// let session = ClientSession(timeout: ClientTimeout(total: 10, sockRead: 2))
/// ```
public struct ClientTimeout: Sendable, Hashable {
    /// The whole exchange, from the call to the end of the response's body, redirects included.
    /// ``TotalTimeoutError`` when it fires.
    public var total: Double?
    /// Getting a connection: waiting for a free one in the pool and opening a new one.
    /// ``ConnectionTimeoutError``.
    public var connect: Double?
    /// Opening the socket (and the TLS handshake) of a new connection. ``ConnectionTimeoutError``.
    public var sockConnect: Double?
    /// The longest wait for the next bytes of a response, armed only while one is awaited.
    /// ``SocketTimeoutError``.
    public var sockRead: Double?
    /// How long a request sent with `Expect: 100-continue` waits for the server's answer
    /// before sending its body anyway (RFC 9110 §10.1.1: not indefinitely; curl's 1 s).
    public var expectContinue: Double

    /// Limits as given; aiohttp's defaults are a total of 300 s and a socket connect of 30 s.
    public init(total: Double? = 300, connect: Double? = nil, sockConnect: Double? = 30, sockRead: Double? = nil, expectContinue: Double = 1) {
        self.total = total
        self.connect = connect
        self.sockConnect = sockConnect
        self.sockRead = sockRead
        self.expectContinue = expectContinue
    }
}
