#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Turns a host name into addresses, as aiohttp's `AbstractResolver`: give a connector one of
/// your own (a service registry, a fixed table, DNS over HTTPS) with
/// ``ClientConnector/resolver``. The session caches what it returns (``ClientConnector/ttlDNSCache``).
public protocol HostResolver: Sendable {
    /// The addresses of `host`, each with `port`, in the order to try them (NIO's Happy
    /// Eyeballs races IPv6 and IPv4 among them).
    ///
    /// - Throws: when the name cannot be resolved; the session reports a
    ///   ``ClientConnectorDNSError``.
    func resolve(host: String, port: Int) async throws -> [SocketAddress]
}

/// The system's resolver (`getaddrinfo`, so `/etc/hosts` and nsswitch apply) on NIO's thread
/// pool, as aiohttp's default `ThreadedResolver`.
public struct ThreadedResolver: HostResolver {
    /// The resolver; the lookups run on `threadPool`.
    public init(threadPool: NIOThreadPool = .singleton) {
        self.threadPool = threadPool
    }

    private let threadPool: NIOThreadPool

    /// Why a name could not be resolved: `getaddrinfo`'s code and message.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// `getaddrinfo`'s return code (`EAI_NONAME`…).
        public let code: Int32
        /// The name looked up.
        public let host: String
        public var description: String { "cannot resolve \(self.host): \(String(cString: gai_strerror(self.code)))" }
    }

    public func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        try await self.threadPool.runIfActive { try Self.lookup(host: host, port: port) }
    }

    private static func lookup(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0 else { throw Failure(code: code, host: host) }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var next = list
        while let info = next {
            if let address = info.pointee.ai_addr {
                switch Int32(info.pointee.ai_family) {
                case AF_INET:
                    addresses.append(address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                case AF_INET6:
                    addresses.append(address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                default:
                    break
                }
            }
            next = info.pointee.ai_next
        }
        // The same address once, in the order given (getaddrinfo repeats them per protocol).
        var seen: Set<SocketAddress> = []
        return addresses.filter { seen.insert($0).inserted }
    }
}

/// Serves addresses already resolved to NIO's connect, so that its Happy Eyeballs (RFC 8305)
/// races them as it would its own lookups.
struct ResolvedAddresses: Resolver, Sendable {
    let addresses: [SocketAddress]
    let eventLoop: any EventLoop

    func initiateAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        self.eventLoop.makeSucceededFuture(self.addresses.filter { $0.protocol == .inet })
    }

    func initiateAAAAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        self.eventLoop.makeSucceededFuture(self.addresses.filter { $0.protocol == .inet6 })
    }

    func cancelQueries() {}
}
