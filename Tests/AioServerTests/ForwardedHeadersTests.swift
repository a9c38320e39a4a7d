import AioServer
import AioTestSupport
import HTTPTypes
import NIOCore
import Testing

@Suite("Forwarded and X-Forwarded-*")
struct ForwardedHeadersTests {
    let trust = ForwardedHeaders(trustedNetworks: [try! NetworkRange("10.0.0.0/8"), try! NetworkRange("fd00::/8")], source: .xForwarded)
    let rfc7239 = ForwardedHeaders(trustedNetworks: [try! NetworkRange("10.0.0.0/8")], source: .forwarded)
    let proxy = try! SocketAddress(ipAddress: "10.0.0.1", port: 40000)
    let stranger = try! SocketAddress(ipAddress: "198.51.100.1", port: 40000)

    func fields(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }

    func address(_ client: ForwardedHeaders.Client?) -> String? { client?.address?.ipAddress }

    @Test func xForwardedForWalksPastTrustedHops() throws {
        // The client wrote the first value itself; the trusted proxies appended the rest.
        let spoofed = self.fields([("X-Forwarded-For", "1.1.1.1, 203.0.113.9, 10.0.0.7")])
        #expect(self.address(self.trust.client(peer: self.proxy, fields: spoofed)) == "203.0.113.9")
        #expect(self.trust.client(peer: self.stranger, fields: spoofed) == nil, "an untrusted peer changes nothing")
        // Every hop trusted: the leftmost.
        #expect(self.address(self.trust.client(peer: self.proxy, fields: self.fields([("X-Forwarded-For", "10.0.0.5, 10.0.0.6")]))) == "10.0.0.5")
        // Several lines, in order; mapped IPv4; ports and brackets.
        let lines = self.fields([("X-Forwarded-For", "203.0.113.1"), ("X-Forwarded-For", "::ffff:203.0.113.2, fd00::1")])
        #expect(self.address(self.trust.client(peer: self.proxy, fields: lines)) == "203.0.113.2")
        let bracketed = try #require(self.trust.client(peer: self.proxy, fields: self.fields([("X-Forwarded-For", "[2001:db8::1]:4711")])))
        #expect(bracketed.address == (try SocketAddress(ipAddress: "2001:db8::1", port: 4711)))
        #expect(self.trust.client(peer: self.proxy, fields: self.fields([("X-Forwarded-For", "203.0.113.9:80")]))?.address?.port == 80)
        #expect(self.trust.client(peer: self.proxy, fields: self.fields([("X-Forwarded-For", "not-an-address, 10.0.0.2")])) == nil)
    }

    @Test func protoAndHostAreChecked() {
        let good = self.trust.client(peer: self.proxy, fields: self.fields([
            ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "HTTPS"), ("X-Forwarded-Host", "example.com:8443"),
        ]))
        #expect(good?.scheme == "https" && good?.host == "example.com:8443")
        let bad = self.trust.client(peer: self.proxy, fields: self.fields([
            ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "javascript"), ("X-Forwarded-Host", "bad host/x"),
        ]))
        #expect(bad?.scheme == nil && bad?.host == nil && self.address(bad) == "203.0.113.9")
        // One value per hop: the client's hop's.
        let perHop = self.trust.client(peer: self.proxy, fields: self.fields([
            ("X-Forwarded-For", "203.0.113.9, 10.0.0.3"), ("X-Forwarded-Proto", "https, http"),
        ]))
        #expect(perHop?.scheme == "https")
        // Values the client wrote to the left of what the proxy appended are not believed.
        let padded = self.trust.client(peer: self.proxy, fields: self.fields([
            ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https, http"), ("X-Forwarded-Host", "admin.example, shop.example"),
        ]))
        #expect(padded?.scheme == "http" && padded?.host == "shop.example")
        // The proxies write X-Forwarded-*: a Forwarded field is the client's, and ignored.
        let smuggled = self.trust.client(peer: self.proxy, fields: self.fields([
            ("Forwarded", "for=8.8.8.8;proto=https"), ("X-Forwarded-For", "203.0.113.9"),
        ]))
        #expect(self.address(smuggled) == "203.0.113.9" && smuggled?.scheme == nil)
        // Fewer values than hops: the outer proxy set them and the inner one passed them on.
        let passedOn = self.trust.client(peer: self.proxy, fields: self.fields([
            ("X-Forwarded-For", "203.0.113.9, 10.0.0.3"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "shop.example"),
        ]))
        #expect(self.address(passedOn) == "203.0.113.9" && passedOn?.scheme == "https" && passedOn?.host == "shop.example")
        // Proxies that write X-Forwarded-For alone: -Proto and -Host are the client's, ignored.
        let forOnly = ForwardedHeaders(trustedNetworks: [try! NetworkRange("10.0.0.0/8")])
        let written = forOnly.client(peer: self.proxy, fields: self.fields([
            ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"),
        ]))
        #expect(self.address(written) == "203.0.113.9" && written?.scheme == nil && written?.host == nil)
    }

    @Test func forwardedAsRFC7239Writes() {
        let example = self.rfc7239.client(peer: self.proxy, fields: self.fields([
            ("Forwarded", #"for=192.0.2.43;proto=https;host="example.com", for="[2001:db8:cafe::17]:4711";proto=http"#),
            ("X-Forwarded-For", "1.1.1.1"),
        ]))
        #expect(self.address(example) == "2001:db8:cafe::17" && example?.address?.port == 4711 && example?.scheme == "http")
        let chain = self.rfc7239.client(peer: self.proxy, fields: self.fields([
            ("Forwarded", "for=1.1.1.1;proto=http"), ("Forwarded", #"For=203.0.113.9;Proto=https;host=shop.example, for=10.0.0.8;by=10.0.0.1"#),
        ]))
        #expect(self.address(chain) == "203.0.113.9" && chain?.scheme == "https" && chain?.host == "shop.example")
        let hidden = self.rfc7239.client(peer: self.proxy, fields: self.fields([("Forwarded", "for=unknown;proto=https, for=10.0.0.9")]))
        #expect(hidden != nil && hidden?.address == nil && hidden?.scheme == "https")
        for malformed in ["for=[2001:db8::1]", "for=", "for=1.2.3.4;;", "=x", #"for="unterminated"#, "for=1.2.3.4 junk", #"for=1.2.3.4;proto="https"#] {
            #expect(self.rfc7239.client(peer: self.proxy, fields: self.fields([("Forwarded", malformed)])) == nil, "\(malformed)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func longValuesAreBounded() {
        // 60 KB of hops: refused whole (past maxHops), in one pass.
        let many = String(repeating: "203.0.113.9, ", count: 4700) + "10.0.0.1"
        #expect(many.utf8.count > 60_000)
        #expect(self.trust.client(peer: self.proxy, fields: self.fields([("X-Forwarded-For", many)])) == nil)
        let forwarded = String(repeating: "for=203.0.113.9;proto=https, ", count: 2100) + "for=10.0.0.1"
        #expect(self.rfc7239.client(peer: self.proxy, fields: self.fields([("Forwarded", forwarded)])) == nil)
    }

    /// A hop as a proxy or a client may write it, and the address the server should read.
    struct Hop {
        var text: String
        var address: String
        var port: Int
    }

    /// A random address, inside the trusted networks or not, in any form the fields allow:
    /// IPv4 with or without a port, IPv6 bare or bracketed with or without a port, IPv4-mapped.
    static func hop(trusted: Bool, using random: inout SplitMix64) -> Hop {
        let port = Bool.random(using: &random) ? Int.random(in: 1...65535, using: &random) : 0
        let low = Int.random(in: 1...254, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            let address = trusted ? "10.\(low).0.\(low)" : "203.0.113.\(low)"
            return Hop(text: port == 0 ? address : "\(address):\(port)", address: address, port: port)
        case 1:
            let address = trusted ? "fd00::\(String(low, radix: 16))" : "2001:db8::\(String(low, radix: 16))"
            let text = port == 0 ? (Bool.random(using: &random) ? address : "[\(address)]") : "[\(address)]:\(port)"
            return Hop(text: text, address: address, port: port)
        default:
            let address = trusted ? "10.9.8.\(low)" : "198.51.100.\(low)"
            return Hop(text: "::ffff:\(address)", address: address, port: 0)
        }
    }

    /// Property: whatever a client writes to the left, and however the hops are spread over
    /// field lines and spaced, the client is the rightmost hop outside the trusted networks.
    @Test func anyChainNamesTheRightmostUntrustedHop() {
        var random = SplitMix64(seed: 7239)
        for _ in 0..<3000 {
            let forged = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                Self.hop(trusted: Bool.random(using: &random), using: &random)
            }
            let client = Self.hop(trusted: false, using: &random)
            let proxies = (0..<Int.random(in: 0...4, using: &random)).map { _ in Self.hop(trusted: true, using: &random) }
            let chain = (forged + [client] + proxies).map(\.text)
            // Cut into one or two field lines, each list spaced its own way.
            var fields: [(String, String)] = []
            var start = 0
            while start < chain.count {
                let end = start == 0 && chain.count > 1 ? Int.random(in: start + 1...chain.count, using: &random) : chain.count
                let separator = [",", ", ", " ,  "][Int.random(in: 0..<3, using: &random)]
                fields.append(("X-Forwarded-For", chain[start..<end].joined(separator: separator)))
                start = end
            }
            let found = self.trust.client(peer: self.proxy, fields: self.fields(fields))
            #expect(found?.address?.ipAddress == client.address, "\(fields)")
            #expect(found?.address?.port == client.port, "\(fields)")
        }
    }
}
