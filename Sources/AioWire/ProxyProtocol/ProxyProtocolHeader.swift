import NIOCore

/// What a load balancer in front of the server says about a connection before its first byte of
/// HTTP (HAProxy's PROXY protocol, versions 1 and 2): who the client is, which address it
/// reached, and, in version 2, extra facts as TLVs (ALPN, the authority, a unique id, TLS).
public struct ProxyProtocolHeader: Sendable, Hashable {
    /// What the sender is doing.
    public enum Command: Sendable, Hashable {
        /// The balancer speaks for itself (a health check): use the socket's own addresses.
        case local
        /// The connection is a client's, relayed: the addresses are the client's.
        case proxy
    }

    /// Where the relayed connection came from and went to.
    public enum Addresses: Sendable, Hashable {
        /// Not said (`UNKNOWN`, `AF_UNSPEC`, or a `LOCAL` command): use the socket's own.
        case unknown
        /// TCP (or UDP) over IPv4 or IPv6.
        case inet(source: SocketAddress, destination: SocketAddress)
        /// Unix sockets, by path (version 2 only).
        case unix(source: String, destination: String)
    }

    /// A type-length-value entry of a version 2 header.
    public struct TLV: Sendable, Hashable {
        /// The type (``ProxyProtocolHeader/TLVType`` names the registered ones).
        public var type: UInt8
        /// The value.
        public var value: [UInt8]

        /// An entry of `type` holding `value`.
        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }
    }

    /// The registered TLV types (proxy-protocol.txt §2.2).
    public enum TLVType {
        /// `PP2_TYPE_ALPN`: the protocol the client negotiated with the balancer.
        public static let alpn: UInt8 = 0x01
        /// `PP2_TYPE_AUTHORITY`: the host name the client asked for (TLS SNI).
        public static let authority: UInt8 = 0x02
        /// `PP2_TYPE_CRC32C`: a checksum of the whole header, verified when present.
        public static let crc32c: UInt8 = 0x03
        /// `PP2_TYPE_NOOP`: padding, skipped.
        public static let noop: UInt8 = 0x04
        /// `PP2_TYPE_UNIQUE_ID`: the balancer's id for the connection, at most 128 bytes.
        public static let uniqueID: UInt8 = 0x05
        /// `PP2_TYPE_SSL`: the client's TLS connection to the balancer, with sub-types.
        public static let ssl: UInt8 = 0x20
        /// `PP2_TYPE_NETNS`: the balancer's network namespace.
        public static let netns: UInt8 = 0x30
    }

    /// What the balancer says about the client's TLS connection to it (`PP2_TYPE_SSL`).
    public struct SSL: Sendable, Hashable {
        /// The client connected over TLS (`PP2_CLIENT_SSL`).
        public var clientSSL: Bool
        /// The client sent a certificate on this connection (`PP2_CLIENT_CERT_CONN`).
        public var clientCertificateOnConnection: Bool
        /// The client sent a certificate in this TLS session (`PP2_CLIENT_CERT_SESS`).
        public var clientCertificateInSession: Bool
        /// Whether the client presented a certificate and it was verified (the `verify` field is
        /// 0, which a balancer also sends when no certificate came at all).
        public var verified: Bool
        /// The TLS version (`TLSv1.3`), when said.
        public var version: String?
        /// The client certificate's Common Name, when said.
        public var commonName: String?
        /// The cipher (`ECDHE-RSA-AES128-GCM-SHA256`), when said.
        public var cipher: String?
        /// The certificate's signature algorithm, when said.
        public var signatureAlgorithm: String?
        /// The certificate's key algorithm, when said.
        public var keyAlgorithm: String?
    }

    /// 1 (text) or 2 (binary).
    public var version: Int
    /// What the sender is doing.
    public var command: Command
    /// The header as received: decoded on access, so that reading one costs a single buffer.
    private let storage: Storage

    /// A header's addresses and TLVs, as built or as received.
    private enum Storage: Sendable {
        case built(Addresses, [TLV])
        /// A version 2 address block (family 1, 2 or 3, else none) and TLVs in `bytes`, the TLVs
        /// from `tlvStart` to the end, checked when the header was decoded.
        case received(family: UInt8, bytes: [UInt8], tlvStart: Int)
    }

    /// A header of `version` saying `command` about `addresses`.
    public init(version: Int, command: Command, addresses: Addresses, tlvs: [TLV] = []) {
        self.version = version
        self.command = command
        self.storage = .built(addresses, tlvs)
    }

    /// A decoded header over `bytes`: the address block of `family` (PROXY headers only), then
    /// TLVs from `tlvStart`.
    init(version: Int, command: Command, family: UInt8, bytes: [UInt8], tlvStart: Int) {
        self.version = version
        self.command = command
        self.storage = .received(family: family, bytes: bytes, tlvStart: tlvStart)
    }

    /// The addresses.
    public var addresses: Addresses {
        switch self.storage {
        case .built(let addresses, _):
            return addresses
        case .received(let family, let bytes, _):
            guard self.command == .proxy else { return .unknown }
            switch family {
            case 1:
                guard let source = Self.inet(bytes[0..<4], port: Self.uint16(bytes, 8)),
                    let destination = Self.inet(bytes[4..<8], port: Self.uint16(bytes, 10))
                else { return .unknown }
                return .inet(source: source, destination: destination)
            case 2:
                guard let source = Self.inet(bytes[0..<16], port: Self.uint16(bytes, 32)),
                    let destination = Self.inet(bytes[16..<32], port: Self.uint16(bytes, 34))
                else { return .unknown }
                return .inet(source: source, destination: destination)
            case 3:
                return .unix(source: Self.path(bytes[0..<108]), destination: Self.path(bytes[108..<216]))
            default:
                return .unknown
            }
        }
    }

    /// The TLVs of a version 2 header, in order (none for version 1).
    public var tlvs: [TLV] {
        switch self.storage {
        case .built(_, let tlvs):
            return tlvs
        case .received(_, let bytes, let tlvStart):
            var tlvs: [TLV] = []
            Self.walk(bytes, from: tlvStart) { type, range in
                tlvs.append(TLV(type: type, value: Array(bytes[range])))
                return true
            }
            return tlvs
        }
    }

    /// Calls `body` with each TLV's type and value range in `bytes` from `start`, while it
    /// returns true; false when the TLVs do not fill `bytes` exactly.
    @discardableResult
    static func walk<Failure: Error>(
        _ bytes: [UInt8],
        from start: Int,
        _ body: (UInt8, Range<Int>) throws(Failure) -> Bool
    ) throws(Failure) -> Bool {
        var index = start
        while index < bytes.count {
            guard index + 3 <= bytes.count else { return false }
            let end = index + 3 + Self.uint16(bytes, index + 1)
            guard end <= bytes.count else { return false }
            guard try body(bytes[index], index + 3..<end) else { return true }
            index = end
        }
        return true
    }

    static func uint16(_ bytes: [UInt8], _ index: Int) -> Int {
        Int(bytes[index]) << 8 | Int(bytes[index + 1])
    }

    private static func inet(_ packed: ArraySlice<UInt8>, port: Int) -> SocketAddress? {
        try? SocketAddress(packedIPAddress: ByteBuffer(bytes: packed), port: port)
    }

    /// A Unix socket path: the bytes up to the first NUL.
    private static func path(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.version == rhs.version && lhs.command == rhs.command && lhs.addresses == rhs.addresses && lhs.tlvs == rhs.tlvs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.version)
        hasher.combine(self.command)
        hasher.combine(self.addresses)
        hasher.combine(self.tlvs)
    }

    /// The client's address: the source of a relayed connection; nil when the socket's own peer
    /// stands (a `LOCAL` command, `UNKNOWN` or a Unix socket).
    public var clientAddress: SocketAddress? {
        guard self.command == .proxy, case .inet(let source, _) = self.addresses else { return nil }
        return source
    }

    /// The first TLV of `type`.
    public func tlv(_ type: UInt8) -> [UInt8]? {
        switch self.storage {
        case .built(_, let tlvs):
            return tlvs.first { $0.type == type }?.value
        case .received(_, let bytes, let tlvStart):
            var found: [UInt8]?
            Self.walk(bytes, from: tlvStart) { candidate, range in
                guard candidate == type else { return true }
                found = Array(bytes[range])
                return false
            }
            return found
        }
    }

    /// The protocol the client negotiated with ALPN (`h2`, `http/1.1`).
    public var alpn: String? { self.tlv(TLVType.alpn).map { String(decoding: $0, as: UTF8.self) } }
    /// The host name the client asked for (its TLS SNI, or what the balancer knows).
    public var authority: String? { self.tlv(TLVType.authority).map { String(decoding: $0, as: UTF8.self) } }
    /// The balancer's id for the connection (at most 128 bytes).
    public var uniqueID: [UInt8]? { self.tlv(TLVType.uniqueID) }

    /// The client's TLS connection to the balancer, when the header says.
    public var ssl: SSL? {
        guard let value = self.tlv(TLVType.ssl), value.count >= 5 else { return nil }
        let client = value[0]
        let verify = UInt32(value[1]) << 24 | UInt32(value[2]) << 16 | UInt32(value[3]) << 8 | UInt32(value[4])
        var ssl = SSL(
            clientSSL: client & 0x01 != 0,
            clientCertificateOnConnection: client & 0x02 != 0,
            clientCertificateInSession: client & 0x04 != 0,
            verified: verify == 0 && client & 0x06 != 0
        )
        // Sub-TLVs follow, walked as the decoder checked them.
        var index = 5
        while index + 3 <= value.count {
            let type = value[index]
            let length = Int(value[index + 1]) << 8 | Int(value[index + 2])
            let start = index + 3
            guard start + length <= value.count else { break }
            let text = String(decoding: value[start..<start + length], as: UTF8.self)
            switch type {
            case 0x21: ssl.version = text
            case 0x22: ssl.commonName = text
            case 0x23: ssl.cipher = text
            case 0x24: ssl.signatureAlgorithm = text
            case 0x25: ssl.keyAlgorithm = text
            default: break
            }
            index = start + length
        }
        return ssl
    }
}

extension ProxyProtocolHeader.SSL {
    init(clientSSL: Bool, clientCertificateOnConnection: Bool, clientCertificateInSession: Bool, verified: Bool) {
        self.clientSSL = clientSSL
        self.clientCertificateOnConnection = clientCertificateOnConnection
        self.clientCertificateInSession = clientCertificateInSession
        self.verified = verified
    }
}
