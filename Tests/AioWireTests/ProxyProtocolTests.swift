import AioWire
import NIOCore
import Testing

@testable import AioWire

@Suite("PROXY protocol")
struct ProxyProtocolTests {
    /// Decodes `bytes` fed in pieces of `step` bytes, as reads would bring them: nil until the
    /// header is whole, then the header and what is left.
    func decode(_ bytes: [UInt8], step: Int = .max, maxLength: Int = 4096) throws -> (ProxyProtocolHeader, [UInt8])? {
        let decoder = ProxyProtocolDecoder(maxLength: maxLength)
        var buffer = ByteBuffer()
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            if let header = try decoder.decode(buffer: &buffer) {
                buffer.writeBytes(bytes[offset...])
                return (header, Array(buffer.readableBytesView))
            }
        }
        return nil
    }

    // MARK: Version 1

    @Test func versionOneAsSpecified() throws {
        let line = Array("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET / HTTP/1.1\r\n".utf8)
        for step in [1, 7, .max] {
            let (header, rest) = try #require(try self.decode(line, step: step))
            #expect(header.version == 1 && header.command == .proxy)
            #expect(header.clientAddress == (try SocketAddress(ipAddress: "192.168.0.1", port: 56324)))
            #expect(rest == Array("GET / HTTP/1.1\r\n".utf8), "the bytes after the header go to HTTP")
        }
        let six = try #require(try self.decode(Array("PROXY TCP6 2001:db8::1 ::1 65535 0\r\n".utf8)))
        #expect(six.0.clientAddress == (try SocketAddress(ipAddress: "2001:db8::1", port: 65535)))
        let unknown = try #require(try self.decode(Array("PROXY UNKNOWN anything at all\r\n".utf8)))
        #expect(unknown.0.addresses == .unknown && unknown.0.clientAddress == nil)
        // The longest line there is: 107 bytes with its CRLF.
        let longest = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"
        #expect(longest.utf8.count == 107)
        #expect(try self.decode(Array(longest.utf8)) != nil)
        #expect(try self.decode(Array("PROXY TCP4 1.2.3.4 5.6.7.8 1 2".utf8)) == nil, "incomplete: wait")
    }

    @Test(arguments: [
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\n",  // bare LF
        "PROXY  TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",  // two spaces
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 \r\n",  // trailing space
        "PROXY TCP4 192.168.0.1 192.168.0.11 056324 443\r\n",  // leading zero in a port
        "PROXY TCP4 192.168.0.01 192.168.0.11 56324 443\r\n",  // leading zero in an octet
        "PROXY TCP4 192.168.0.1 192.168.0.11 65536 443\r\n",  // port too large
        "PROXY TCP4 ::1 ::1 1 2\r\n",  // an IPv6 address for TCP4
        "PROXY TCP6 1.2.3.4 1.2.3.4 1 2\r\n",  // an IPv4 address for TCP6
        "PROXY UDP4 1.2.3.4 1.2.3.4 1 2\r\n",  // not a version 1 protocol
        "PROXY TCP4 1.2.3.4 1.2.3.4 1\r\n",  // a port missing
        "GET / HTTP/1.1\r\n",  // no header at all
        "proxy TCP4 1.2.3.4 1.2.3.4 1 2\r\n",  // case matters
        "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",  // a zone is not RFC 4291 text
        "PROXY TCP6 ::1\u{0}x ::1 1 2\r\n",  // nor is a NUL
    ])
    func versionOneRefusals(_ line: String) {
        #expect(throws: ProxyProtocolError.self) { _ = try self.decode(Array(line.utf8)) }
    }

    @Test func versionOneWithoutAnEndWithinItsLimit() {
        let long = "PROXY UNKNOWN " + String(repeating: "x", count: 100)
        #expect(throws: ProxyProtocolError.self) { _ = try self.decode(Array(long.utf8)) }
    }

    // MARK: Version 2

    static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    /// A version 2 header: `command` (0x20 LOCAL, 0x21 PROXY), `family` byte, the address block
    /// and the TLVs; with `crc`, a CRC32C TLV computed over it (or `badCRC` in its place).
    func v2(_ command: UInt8 = 0x21, family: UInt8, addresses: [UInt8], tlvs: [(UInt8, [UInt8])] = [], crc: Bool = false, badCRC: Bool = false) -> [UInt8] {
        var block = addresses
        for (type, value) in tlvs { block += [type, UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value }
        var crcOffset: Int?
        if crc {
            crcOffset = 16 + block.count + 3
            block += [ProxyProtocolHeader.TLVType.crc32c, 0, 4, 0, 0, 0, 0]
        }
        var header = Self.signature + [command, family, UInt8(block.count >> 8), UInt8(block.count & 0xFF)] + block
        if let crcOffset {
            var checksum = CRC32C.checksum(header)
            if badCRC { checksum ^= 1 }
            header[crcOffset..<crcOffset + 4] = [UInt8(checksum >> 24), UInt8(checksum >> 16 & 0xFF), UInt8(checksum >> 8 & 0xFF), UInt8(checksum & 0xFF)]
        }
        return header
    }

    static let inet4: [UInt8] = [10, 0, 0, 1, 10, 0, 0, 2, 0xC3, 0x50, 0x01, 0xBB]  // 10.0.0.1:50000 → 10.0.0.2:443

    @Test func crc32cKnownValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func versionTwoWithEveryTLV() throws {
        let ssl: [UInt8] = [0x05, 0, 0, 0, 0]  // TLS, a certificate this session, verified
            + [0x21, 0, 7] + Array("TLSv1.3".utf8)
            + [0x22, 0, 6] + Array("client".utf8)
            + [0x23, 0, 22] + Array("TLS_AES_256_GCM_SHA384".utf8)
        let bytes = self.v2(
            family: 0x11, addresses: Self.inet4,
            tlvs: [(0x01, Array("h2".utf8)), (0x02, Array("example.com".utf8)), (0x04, [0, 0]), (0x05, Array(repeating: 7, count: 128)), (0x20, ssl)],
            crc: true
        ) + Array("GET /".utf8)
        for step in [1, 5, 16, .max] {
            let (header, rest) = try #require(try self.decode(bytes, step: step))
            #expect(header.version == 2 && header.command == .proxy)
            #expect(header.clientAddress == (try SocketAddress(ipAddress: "10.0.0.1", port: 50000)))
            #expect(header.alpn == "h2" && header.authority == "example.com" && header.uniqueID?.count == 128)
            let tls = try #require(header.ssl)
            #expect(tls.clientSSL && !tls.clientCertificateOnConnection && tls.clientCertificateInSession && tls.verified)
            #expect(tls.version == "TLSv1.3" && tls.commonName == "client" && tls.cipher == "TLS_AES_256_GCM_SHA384")
            #expect(rest == Array("GET /".utf8))
        }
        // TLS without a client certificate: verify 0 says nothing was verified.
        let noCertificate = try #require(try self.decode(self.v2(family: 0x11, addresses: Self.inet4, tlvs: [(0x20, [0x01, 0, 0, 0, 0])])))
        #expect(noCertificate.0.ssl?.clientSSL == true && noCertificate.0.ssl?.verified == false)
    }

    @Test func versionTwoFamilies() throws {
        var six = [UInt8](repeating: 0, count: 36)
        six[15] = 1  // ::1
        six[31] = 2  // ::2
        six[32] = 0x1F
        six[33] = 0x90  // 8080
        let v6 = try #require(try self.decode(self.v2(family: 0x21, addresses: six)))
        #expect(v6.0.clientAddress == (try SocketAddress(ipAddress: "::1", port: 8080)))
        var unix = [UInt8](repeating: 0, count: 216)
        unix.replaceSubrange(0..<9, with: Array("/run/a.so".utf8))
        let local = try #require(try self.decode(self.v2(family: 0x31, addresses: unix)))
        #expect(local.0.addresses == .unix(source: "/run/a.so", destination: "") && local.0.clientAddress == nil)
        let unspec = try #require(try self.decode(self.v2(family: 0x00, addresses: [])))
        #expect(unspec.0.addresses == .unknown)
        // A health check: LOCAL, its addresses ignored.
        let check = try #require(try self.decode(self.v2(0x20, family: 0x11, addresses: Self.inet4)))
        #expect(check.0.command == .local && check.0.clientAddress == nil)
        // LOCAL with a family it does not define, or too short for its own: accepted, ignored.
        #expect(try self.decode(self.v2(0x20, family: 0x41, addresses: [])) != nil)
        #expect(try self.decode(self.v2(0x20, family: 0x11, addresses: [])) != nil)
    }

    @Test func versionTwoRefusals() throws {
        let refused: [[UInt8]] = [
            self.v2(0x11, family: 0x11, addresses: Self.inet4),  // version 1 after the v2 signature
            self.v2(0x22, family: 0x11, addresses: Self.inet4),  // command 2
            self.v2(family: 0x41, addresses: Self.inet4),  // family 4
            self.v2(family: 0x10, addresses: Self.inet4),  // IPv4 without a transport
            self.v2(family: 0x11, addresses: Self.inet4, tlvs: [(0x03, [0, 0, 0, 0]), (0x03, [0, 0, 0, 0])]),  // two CRC32Cs
            self.v2(family: 0x13, addresses: Self.inet4),  // transport 3
            self.v2(family: 0x11, addresses: Array(Self.inet4.prefix(8))),  // too short for IPv4
            self.v2(family: 0x11, addresses: Self.inet4 + [0x01, 0x00]),  // a TLV cut short
            self.v2(family: 0x11, addresses: Self.inet4 + [0x01, 0x00, 0x09, 0x68]),  // a TLV past the end
            self.v2(family: 0x11, addresses: Self.inet4, tlvs: [(0x05, Array(repeating: 1, count: 129))]),  // unique id too long
            self.v2(family: 0x11, addresses: Self.inet4, tlvs: [(0x20, [1, 0, 0])]),  // SSL too short
            self.v2(family: 0x11, addresses: Self.inet4, tlvs: [(0x20, [1, 0, 0, 0, 0, 0x21, 0, 9, 0x41])]),  // SSL sub-TLV overruns
            self.v2(family: 0x11, addresses: Self.inet4, tlvs: [(0x03, [0, 0])]),  // CRC32C of 2 bytes
            self.v2(family: 0x11, addresses: Self.inet4, crc: true, badCRC: true),
        ]
        for bytes in refused {
            #expect(throws: ProxyProtocolError.self, "\(bytes)") { _ = try self.decode(bytes) }
        }
        // Longer than the limit: refused from the length alone, before the bytes arrive.
        let long = Self.signature + [0x21, 0x11, 0x10, 0x01]
        #expect(throws: ProxyProtocolError.self) { _ = try self.decode(long) }
        #expect(try self.decode(long, maxLength: 65535) == nil)
    }
}
