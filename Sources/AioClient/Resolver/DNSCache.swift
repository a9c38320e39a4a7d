import NIOCore
import Synchronization

/// The session's resolved host names, as aiohttp's connector caches them: each for
/// ``ClientConnector/ttlDNSCache`` seconds (or for the session's life), so that a pool opening
/// many connections to one host asks the resolver once.
final class DNSCache: Sendable {
    private struct Key: Hashable {
        let host: String
        let port: Int
    }

    private struct Entry {
        let addresses: [SocketAddress]
        let expires: NIODeadline?
    }

    private let resolver: any HostResolver
    private let enabled: Bool
    private let ttl: Double?
    private let entries = Mutex<[Key: Entry]>([:])

    init(resolver: any HostResolver, enabled: Bool, ttl: Double?) {
        self.resolver = resolver
        self.enabled = enabled
        self.ttl = ttl
    }

    /// The addresses of `host`:`port`, from the cache while fresh, else from the resolver.
    ///
    /// - Throws: ``ClientConnectorDNSError`` when the resolver fails or finds nothing.
    func addresses(host: String, port: Int, trace: RequestTrace?) async throws -> [SocketAddress] {
        let key = Key(host: host.lowercased(), port: port)
        if self.enabled {
            let now = NIODeadline.now()
            let cached = self.entries.withLock { entries -> [SocketAddress]? in
                guard let entry = entries[key] else { return nil }
                if let expires = entry.expires, expires <= now {
                    entries[key] = nil
                    return nil
                }
                return entry.addresses
            }
            if let cached {
                await trace?.send({ $0.onDnsCacheHit }, TraceDNSParams(host: host, port: port, addresses: cached))
                return cached
            }
            await trace?.send({ $0.onDnsCacheMiss }, TraceDNSParams(host: host, port: port, addresses: []))
        }
        await trace?.send({ $0.onDnsResolvehostStart }, TraceDNSParams(host: host, port: port, addresses: []))
        let addresses: [SocketAddress]
        do {
            addresses = try await self.resolver.resolve(host: host, port: port)
        } catch {
            throw ClientConnectorDNSError(host: host, port: port, underlying: error)
        }
        guard !addresses.isEmpty else {
            throw ClientConnectorDNSError(host: host, port: port, underlying: NoAddresses())
        }
        await trace?.send({ $0.onDnsResolvehostEnd }, TraceDNSParams(host: host, port: port, addresses: addresses))
        if self.enabled {
            let expires = self.ttl.map { NIODeadline.now() + .seconds(clamping: $0) }
            self.entries.withLock { $0[key] = Entry(addresses: addresses, expires: expires) }
        }
        return addresses
    }

    /// Forgets `host` (every port), or every name: aiohttp's `clear_dns_cache`.
    func clear(host: String?) {
        self.entries.withLock { entries in
            guard let host = host?.lowercased() else { return entries.removeAll() }
            entries = entries.filter { $0.key.host != host }
        }
    }

    /// The resolver answered with no address.
    struct NoAddresses: Error, CustomStringConvertible {
        var description: String { "the resolver found no address" }
    }
}
