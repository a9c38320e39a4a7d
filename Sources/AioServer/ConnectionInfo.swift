import NIOCore

/// What a handler may want to know about the connection a request came on.
public struct ConnectionInfo: Sendable {
    /// The peer's address (nil for some Unix domain socket peers).
    public let remoteAddress: SocketAddress?
    /// The address the request arrived at.
    public let localAddress: SocketAddress?
    /// Whether the connection is TLS.
    public let isSecure: Bool

    /// Connection facts, for servers and for tests that build requests without a socket.
    public init(remoteAddress: SocketAddress? = nil, localAddress: SocketAddress? = nil, isSecure: Bool = false) {
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
        self.isSecure = isSecure
    }
}
