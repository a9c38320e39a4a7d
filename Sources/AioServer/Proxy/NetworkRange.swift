import NIOCore

/// A block of IP addresses in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`, or one address):
/// which peers a server trusts to speak for their clients (PROXY protocol, `Forwarded`).
/// IPv4-mapped IPv6 peers (`::ffff:10.1.2.3`) match IPv4 blocks.
public struct NetworkRange: Sendable, Hashable, CustomStringConvertible {
    private let network: [UInt8]
    private let prefixLength: Int

    /// The block `text` names: an address, or an address and a prefix length.
    ///
    /// - Throws: ``NetworkRange/Invalid`` for anything else (a prefix longer than the address,
    ///   host bits set are allowed and cleared).
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = try? SocketAddress(ipAddress: String(parts[0]), port: 0), let bytes = Self.bytes(of: address) else {
            throw Invalid(text: text)
        }
        let bits = bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...bits).contains(value), parts[1].allSatisfy(\.isNumber) else { throw Invalid(text: text) }
            prefix = value
        }
        self.prefixLength = prefix
        self.network = Self.masked(bytes, prefix: prefix)
        self.description = text
    }

    public let description: String

    /// Whether `address` is in the block.
    public func contains(_ address: SocketAddress) -> Bool {
        guard var bytes = Self.bytes(of: address) else { return false }
        // An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d.
        if bytes.count == 16, self.network.count == 4, bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
            bytes = Array(bytes.suffix(4))
        }
        guard bytes.count == self.network.count else { return false }
        return Self.masked(bytes, prefix: self.prefixLength) == self.network
    }

    /// Not a CIDR block.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        /// The text given.
        public let text: String
        public var description: String { "'\(self.text)' is not an address or a CIDR block (10.0.0.0/8, fd00::/8)" }
    }

    /// The address's bytes: 4 for IPv4, 16 for IPv6, nil for a Unix socket.
    static func bytes(of address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4): withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        case .unixDomainSocket: nil
        }
    }

    private static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, prefix - index * 8))
            return bits == 8 ? byte : byte & ~(0xFF >> bits)
        }
    }
}

extension Array where Element == NetworkRange {
    /// Whether `address` is in one of the blocks.
    func contains(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        return self.contains { $0.contains(address) }
    }
}
