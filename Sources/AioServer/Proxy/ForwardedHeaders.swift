import AioWire
import HTTPTypes
import NIOCore

/// Who a request really comes from when trusted proxies relay it: `Forwarded` (RFC 7239) or
/// `X-Forwarded-For` (with `-Proto` and `-Host` when the proxies write them): the one ``source``
/// the proxies write, the others being the client's to fill and never read, believed only from
/// a peer in ``trustedNetworks``. The chain is walked right to left, past every trusted hop, and the first
/// untrusted address is the client: a client cannot choose its address by sending the fields
/// itself (the left end of the chain is whatever it wrote). aiohttp leaves this to a third-party
/// package; Vapor believes the leftmost value.
public struct ForwardedHeaders: Sendable {
    /// What the chain says about the client.
    public struct Client: Sendable, Hashable {
        /// The client's address (IPv4-mapped IPv6 as IPv4), with its port when given (else 0);
        /// nil when the hop said `unknown` or an obfuscated name.
        public var address: SocketAddress?
        /// `http` or `https`, as the first trusted proxy received the request.
        public var scheme: String?
        /// The `Host` the client sent to that proxy.
        public var host: String?
    }

    /// Which fields the trusted proxies write. A field they do not write is the client's to
    /// fill: name only those they do, or a client chooses its scheme or host.
    public enum Source: Sendable, Hashable {
        /// RFC 7239 `Forwarded`.
        case forwarded
        /// `X-Forwarded-For` alone (HAProxy's `option forwardfor`): the scheme and host stay
        /// the connection's own.
        case xForwardedFor
        /// `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host`, all three written by
        /// every trusted proxy (nginx with `$proxy_add_x_forwarded_for`, `$scheme` and
        /// `$http_host`, as `deploy/nginx/aio-http.conf` does).
        case xForwarded
    }

    /// The proxies believed (their socket addresses, and the hops they add).
    public var trustedNetworks: [NetworkRange]
    /// The fields read.
    public var source: Source
    /// The longest chain walked; a longer one is refused whole.
    public var maxHops: Int

    /// `source`'s fields believed from `trustedNetworks`.
    public init(trustedNetworks: [NetworkRange], source: Source = .xForwardedFor, maxHops: Int = 32) {
        self.trustedNetworks = trustedNetworks
        self.source = source
        self.maxHops = maxHops
    }

    private static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    private static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    private static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!
    private static let forwarded = HTTPField.Name("Forwarded")!

    /// The client the fields of a request from `peer` describe; nil when the peer is not
    /// trusted, the fields say nothing, or they are malformed (then nothing changes).
    public func client(peer: SocketAddress?, fields: HTTPFields) -> Client? {
        guard self.trustedNetworks.contains(peer) else { return nil }
        if self.source == .forwarded {
            let forwarded = fields[values: Self.forwarded]
            return forwarded.isEmpty ? nil : self.fromForwarded(forwarded.joined(separator: ","))
        }
        let chain = fields[values: Self.xForwardedFor].joined(separator: ",")
        guard !chain.isEmpty else { return nil }
        let hops = chain.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard hops.count <= self.maxHops else { return nil }
        var nodes: [Node] = []
        for hop in hops {
            guard let node = Node(hop, bare: true) else { return nil }
            nodes.append(node)
        }
        let index = self.clientIndex(nodes)
        var client = Client(address: nodes[index].address)
        guard self.source == .xForwarded else { return client }
        // Values counted from the right, as the proxies appended them: the client's hop's, or the
        // nearest proxy's when the lists are shorter. The left end is the client's to write.
        let protos = Self.list(fields[values: Self.xForwardedProto]).map { $0.lowercased() }
        if let proto = Self.value(protos, hops: hops.count, index: index), proto == "http" || proto == "https" { client.scheme = proto }
        if let host = Self.value(Self.list(fields[values: Self.xForwardedHost]), hops: hops.count, index: index), Self.isHost(host) {
            client.host = host
        }
        return client
    }

    /// The comma-separated values of `lines`, in order.
    private static func list(_ lines: [String]) -> [String] {
        lines.joined(separator: ",").split(separator: ",").map { $0.trimmingSpaces }
    }

    /// The value for hop `index` of `hops` in `values`, aligned from the right; the rightmost when
    /// that hop has none (the outer proxy set the field and the inner ones passed it on, as is
    /// usual: with ``Source/xForwarded`` every value on the right is a trusted proxy's).
    private static func value(_ values: [String], hops: Int, index: Int) -> String? {
        let aligned = values.count - (hops - index)
        return values.indices.contains(aligned) ? values[aligned] : values.last
    }

    /// The position of the client: the rightmost hop not in a trusted network (the leftmost
    /// when all are trusted).
    private func clientIndex(_ nodes: [Node]) -> Int {
        for index in nodes.indices.reversed() {
            guard let address = nodes[index].address, self.trustedNetworks.contains(address) else { return index }
        }
        return 0
    }

    /// RFC 7239 §4: `forwarded-element` *( "," forwarded-element ), each `pair *( ";" pair )`.
    private func fromForwarded(_ value: String) -> Client? {
        var elements: [(node: Node?, proto: String?, host: String?)] = []
        var scanner = ParameterList(value)
        while !scanner.atEnd {
            guard elements.count < self.maxHops else { return nil }
            var element: (node: Node?, proto: String?, host: String?) = (nil, nil, nil)
            var pairs = 0
            while let (name, text) = scanner.pair() {
                pairs += 1
                switch name {
                case "for":
                    guard let node = Node(text, bare: false) else { return nil }
                    element.node = node
                case "proto":
                    let lowered = text.lowercased()
                    if lowered == "http" || lowered == "https" { element.proto = lowered }
                case "host":
                    if Self.isHost(text) { element.host = text }
                default:
                    break
                }
                guard scanner.take(";") else { break }
            }
            guard pairs > 0, !scanner.failed else { return nil }
            elements.append(element)
            guard scanner.take(",") || scanner.atEnd else { return nil }
        }
        guard !elements.isEmpty else { return nil }
        let withNodes = elements.map { $0.node ?? Node(address: nil) }
        let index = self.clientIndex(withNodes)
        return Client(address: withNodes[index].address, scheme: elements[index].proto, host: elements[index].host)
    }

    /// `host [ ":" port ]` as RFC 3986 has it.
    private static func isHost(_ text: String) -> Bool {
        var text = text
        return !text.isEmpty && text.withUTF8 { URIAuthority.isValid(UnsafeRawBufferPointer($0), requirePort: false) }
    }

    /// A hop: an address (with its port, if any), or a name that hides it.
    struct Node {
        let address: SocketAddress?

        init(address: SocketAddress?) {
            self.address = address
        }

        /// `text` as `X-Forwarded-For` (`bare`: `1.2.3.4`, `::1`, `[::1]:80`, `1.2.3.4:80`) or
        /// `Forwarded`'s `for=` (RFC 7239 §6: `1.2.3.4`, `1.2.3.4:80`, `"[::1]:80"`, `unknown`,
        /// `_hidden`); nil when it is neither.
        init?(_ text: String, bare: Bool) {
            if !bare, text == "unknown" || text.hasPrefix("_") {
                self.address = nil
                return
            }
            var host = Substring(text)
            var port = 0
            if host.hasPrefix("[") {
                guard let close = host.firstIndex(of: "]") else { return nil }
                let after = host[host.index(after: close)...]
                if !after.isEmpty {
                    guard after.hasPrefix(":"), let value = Int(after.dropFirst()), (0...65535).contains(value) else { return nil }
                    port = value
                }
                host = host[host.index(after: host.startIndex)..<close]
            } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
                guard let value = Int(host[host.index(after: colon)...]), (0...65535).contains(value) else { return nil }
                port = value
                host = host[..<colon]
            } else if !bare, host.contains(":") {
                // An IPv6 address in `Forwarded` must be bracketed (and quoted).
                return nil
            }
            guard var address = try? SocketAddress(ipAddress: String(host), port: port) else { return nil }
            if let bytes = NetworkRange.bytes(of: address), bytes.count == 16, bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
                let v4 = bytes.suffix(4).map(String.init).joined(separator: ".")
                address = (try? SocketAddress(ipAddress: v4, port: port)) ?? address
            }
            self.address = address
        }
    }

    /// Reads `token=value` pairs (values tokens or quoted strings) and separators, by bytes.
    struct ParameterList {
        private let bytes: [UInt8]
        private var index = 0
        /// Whether the list broke off (an unterminated quoted string).
        private(set) var failed = false

        init(_ text: String) {
            self.bytes = Array(text.utf8)
        }

        var atEnd: Bool {
            mutating get {
                self.skipSpaces()
                return self.index >= self.bytes.count
            }
        }

        mutating func skipSpaces() {
            while self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: " ") || self.bytes[self.index] == UInt8(ascii: "\t") {
                self.index += 1
            }
        }

        /// Consumes `separator` (after spaces) when it is next.
        mutating func take(_ separator: Unicode.Scalar) -> Bool {
            self.skipSpaces()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: separator) else { return false }
            self.index += 1
            return true
        }

        /// The next `name=value`, name lowercased; nil when what follows is not one.
        mutating func pair() -> (String, String)? {
            self.skipSpaces()
            let start = self.index
            while self.index < self.bytes.count, HTTPByte.isTokenChar(self.bytes[self.index]) { self.index += 1 }
            guard self.index > start, self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "=") else {
                self.index = start
                return nil
            }
            let name = String(decoding: self.bytes[start..<self.index], as: UTF8.self).lowercased()
            self.index += 1
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") {
                self.index += 1
                var value: [UInt8] = []
                while self.index < self.bytes.count, self.bytes[self.index] != UInt8(ascii: "\"") {
                    if self.bytes[self.index] == UInt8(ascii: "\\"), self.index + 1 < self.bytes.count { self.index += 1 }
                    value.append(self.bytes[self.index])
                    self.index += 1
                }
                guard self.index < self.bytes.count else {
                    // Unterminated: nothing after it can be read as a list.
                    self.failed = true
                    return nil
                }
                self.index += 1
                return (name, String(decoding: value, as: UTF8.self))
            }
            let valueStart = self.index
            while self.index < self.bytes.count, HTTPByte.isTokenChar(self.bytes[self.index]) { self.index += 1 }
            guard self.index > valueStart else { return nil }
            return (name, String(decoding: self.bytes[valueStart..<self.index], as: UTF8.self))
        }
    }
}
