/// A listener that expects HAProxy's PROXY protocol (versions 1 and 2) in front of every
/// connection, from trusted balancers only: a connection from elsewhere, or one without a valid
/// header within ``headerTimeout``, is closed before any HTTP is read. The header's client address
/// becomes the request's remote address, and the header itself is in
/// ``ConnectionInfo/proxyProtocol`` for its TLVs.
public struct ProxyProtocolConfiguration: Sendable {
    /// The balancers allowed to connect (their socket addresses).
    public var trustedNetworks: [NetworkRange]
    /// How long a connection may take to send its header.
    public var headerTimeout: Duration
    /// The longest version 2 header accepted, in bytes.
    public var maxLength: Int

    /// PROXY protocol from `trustedNetworks`.
    public init(trustedNetworks: [NetworkRange], headerTimeout: Duration = .seconds(5), maxLength: Int = 4096) {
        self.trustedNetworks = trustedNetworks
        self.headerTimeout = headerTimeout
        self.maxLength = maxLength
    }
}
