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

        init(remoteAddress: SocketAddress?, localAddress: SocketAddress?, isSecure: Bool) {
            self.remoteAddress = remoteAddress
            self.localAddress = localAddress
            self.isSecure = isSecure
        }
    }

    private let storage: Storage

    /// Connection facts, for servers and for tests that build requests without a socket.
    public init(remoteAddress: SocketAddress? = nil, localAddress: SocketAddress? = nil, isSecure: Bool = false) {
        self.storage = Storage(remoteAddress: remoteAddress, localAddress: localAddress, isSecure: isSecure)
    }

    /// The peer's address (nil for some Unix domain socket peers).
    public var remoteAddress: SocketAddress? { self.storage.remoteAddress }
    /// The address the request arrived at.
    public var localAddress: SocketAddress? { self.storage.localAddress }
    /// Whether the connection is TLS.
    public var isSecure: Bool { self.storage.isSecure }
}
