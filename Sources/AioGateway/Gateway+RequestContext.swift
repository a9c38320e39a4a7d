import AioServer
import NIOCore

extension Gateway {
    /// What the server knows about a request beyond its head: who sent it and how, as the
    /// configured trust rules resolve it (``/AioServer/ServerConfiguration/forwarded``, PROXY protocol).
    public struct RequestContext: Sendable {
        /// The client's address: the peer's, or the one trusted proxies relayed (nil when they
        /// said `unknown`).
        public var remoteAddress: SocketAddress?
        /// The address the request arrived at.
        public var localAddress: SocketAddress?
        /// `http` or `https`, as the client asked.
        public var scheme: String
        /// The host the client asked for.
        public var host: String?
        /// The connection the request came on (TLS, the balancer's PROXY header and its TLVs).
        public var connection: ConnectionInfo
        /// What trusted proxies said about the client, when they did.
        public var forwarded: ForwardedHeaders.Client?

        /// The context of `request`, as the server resolved it.
        public init(_ request: ServerRequest) {
            self.remoteAddress = request.remoteAddress
            self.localAddress = request.connection.localAddress
            self.scheme = request.scheme
            self.host = request.host
            self.connection = request.connection
            self.forwarded = request.forwarded
        }
    }
}
