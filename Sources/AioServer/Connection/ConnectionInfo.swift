import AioWire
import NIOCore

/// What a handler may want to know about the connection a request came on.
///
/// The facts live in one box shared by every request of the connection: each request carries
/// them, and a copy then costs one reference count instead of one per address.
public struct ConnectionInfo: Sendable {
    private final class Storage: Sendable {
        let remoteAddress: SocketAddress?
        let localAddress: SocketAddress?
        let isSecure: Bool
        let proxyProtocol: ProxyProtocolHeader?

        init(remoteAddress: SocketAddress?, localAddress: SocketAddress?, isSecure: Bool, proxyProtocol: ProxyProtocolHeader?) {
            self.remoteAddress = remoteAddress
            self.localAddress = localAddress
            self.isSecure = isSecure
            self.proxyProtocol = proxyProtocol
        }
    }

    private let storage: Storage

    /// Connection facts, for servers and for tests that build requests without a socket.
    public init(
        remoteAddress: SocketAddress? = nil,
        localAddress: SocketAddress? = nil,
        isSecure: Bool = false,
        proxyProtocol: ProxyProtocolHeader? = nil
    ) {
        self.storage = Storage(remoteAddress: remoteAddress, localAddress: localAddress, isSecure: isSecure, proxyProtocol: proxyProtocol)
    }

    /// The peer's address (nil for some Unix domain socket peers): on a PROXY protocol listener,
    /// the client the balancer relayed (its own address for a `LOCAL` health check).
    public var remoteAddress: SocketAddress? { self.storage.remoteAddress }
    /// The address the request arrived at.
    public var localAddress: SocketAddress? { self.storage.localAddress }
    /// Whether the connection is TLS.
    public var isSecure: Bool { self.storage.isSecure }
    /// What the balancer said in its PROXY protocol header (its TLVs: ALPN, authority, unique
    /// id, the client's TLS), on a listener that expects one.
    public var proxyProtocol: ProxyProtocolHeader? { self.storage.proxyProtocol }
}
