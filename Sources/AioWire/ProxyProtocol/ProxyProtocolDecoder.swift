import NIOCore

/// Reads a PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) from the start
/// of a connection: the version from its first bytes, then the header exactly as specified, or
/// an error. What follows the header is left in the buffer for the HTTP parser.
///
/// ```swift
/// var decoder = ProxyProtocolDecoder()
/// if let header = try decoder.decode(buffer: &buffer) { … header.clientAddress … }
/// ```
public struct ProxyProtocolDecoder: Sendable {
    /// The longest version 2 address-and-TLV block accepted, in bytes.
    public let maxLength: Int

    /// A decoder refusing version 2 headers longer than `maxLength` (4,096 by default; the
    /// format allows 65,535).
    public init(maxLength: Int = 4096) {
        self.maxLength = maxLength
    }

    static let v1Prefix: [UInt8] = Array("PROXY ".utf8)
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    /// A version 1 header's longest form, CRLF included.
    static let v1MaxLength = 107

    /// The header at the start of `buffer`, consumed; nil (nothing consumed) while it is
    /// incomplete.
    ///
    /// - Throws: ``ProxyProtocolError`` when the bytes are not a valid header.
    public func decode(buffer: inout ByteBuffer) throws(ProxyProtocolError) -> ProxyProtocolHeader? {
        let bytes = buffer.readableBytesView
        let result: (ProxyProtocolHeader, Int)?
        if Self.startsLike(Self.v2Signature, bytes) {
            result = try self.decodeV2(bytes)
        } else if Self.startsLike(Self.v1Prefix, bytes) {
            result = try Self.decodeV1(bytes)
        } else {
            throw ProxyProtocolError("the connection does not start with a PROXY protocol header")
        }
        guard let (header, length) = result else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        return header
    }

    /// Whether `bytes` begin with `prefix`, or with as much of it as they hold.
    private static func startsLike(_ prefix: [UInt8], _ bytes: ByteBufferView) -> Bool {
        zip(prefix, bytes).allSatisfy { $0 == $1 }
    }

    // MARK: Version 1

    private static func decodeV1(_ bytes: ByteBufferView) throws(ProxyProtocolError) -> (ProxyProtocolHeader, Int)? {
        let window = bytes.prefix(Self.v1MaxLength)
        guard let lf = window.firstIndex(of: UInt8(ascii: "\n")) else {
            if bytes.count >= Self.v1MaxLength { throw ProxyProtocolError("no CRLF within 107 bytes") }
            return nil
        }
        guard lf > bytes.startIndex, bytes[lf - 1] == UInt8(ascii: "\r") else { throw ProxyProtocolError("a bare LF ends the line") }
        let line = Array(bytes[bytes.startIndex..<(lf - 1)])
        let length = lf + 1 - bytes.startIndex
        // Single spaces only: an empty part is a doubled or trailing space.
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard parts.count >= 2 else { throw ProxyProtocolError("no protocol") }
        if parts[1] == "UNKNOWN" {
            // The rest of the line, whatever it holds, is ignored (§2.1).
            return (ProxyProtocolHeader(version: 1, command: .proxy, addresses: .unknown), length)
        }
        guard parts.count == 6, !parts.contains(where: \.isEmpty) else {
            throw ProxyProtocolError("a version 1 line is PROXY, the protocol, two addresses and two ports, single spaces apart")
        }
        let family: Int32
        switch parts[1] {
        case "TCP4": family = 4
        case "TCP6": family = 6
        default: throw ProxyProtocolError("unknown protocol \(parts[1])")
        }
        guard let sourcePort = Self.port(parts[4]), let destinationPort = Self.port(parts[5]) else {
            throw ProxyProtocolError("ports are decimal numbers up to 65535 without leading zeros")
        }
        let source = try Self.address(parts[2], family: family, port: sourcePort)
        let destination = try Self.address(parts[3], family: family, port: destinationPort)
        return (ProxyProtocolHeader(version: 1, command: .proxy, addresses: .inet(source: source, destination: destination)), length)
    }

    /// A port: 1–5 digits, no leading zero (but `0` itself), at most 65535.
    private static func port(_ text: String) -> Int? {
        guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard text == "0" || !text.hasPrefix("0"), let value = Int(text), value <= 65535 else { return nil }
        return value
    }

    /// An address in its standard text form for `family`: dotted decimal without leading zeros
    /// for IPv4, RFC 4291's forms for IPv6.
    private static func address(_ text: String, family: Int32, port: Int) throws(ProxyProtocolError) -> SocketAddress {
        let isV6 = text.contains(":")
        guard isV6 == (family == 6) else { throw ProxyProtocolError("\(text) is not a TCP\(family) address") }
        // RFC 4291 text only: hex digits, colons and a trailing dotted IPv4 (no zone, no NUL).
        guard text.utf8.allSatisfy({ Hex.value($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else {
            throw ProxyProtocolError("\(text) is not an IP address")
        }
        if !isV6 {
            // Four decimal octets, no leading zeros (inet_pton's rules differ between systems).
            let octets = text.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4, octets.allSatisfy({ Self.octet($0) }) else { throw ProxyProtocolError("\(text) is not an IPv4 address") }
        }
        do {
            return try SocketAddress(ipAddress: text, port: port)
        } catch {
            throw ProxyProtocolError("\(text) is not an IP address")
        }
    }

    private static func octet(_ text: Substring) -> Bool {
        guard (1...3).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return (text == "0" || !text.hasPrefix("0")) && Int(text)! <= 255
    }

    // MARK: Version 2

    private func decodeV2(_ bytes: ByteBufferView) throws(ProxyProtocolError) -> (ProxyProtocolHeader, Int)? {
        guard bytes.count >= 16 else { return nil }
        let header = Array(bytes.prefix(16))
        guard header[12] >> 4 == 2 else { throw ProxyProtocolError("version \(header[12] >> 4) after the version 2 signature") }
        let command: ProxyProtocolHeader.Command
        switch header[12] & 0x0F {
        case 0: command = .local
        case 1: command = .proxy
        default: throw ProxyProtocolError("unknown command \(header[12] & 0x0F)")
        }
        // The defined pairs only (UNSPEC, or a family with STREAM or DGRAM); a LOCAL header's
        // family is ignored, whatever it says.
        let family = header[13] >> 4
        guard command == .local || [0x00, 0x11, 0x12, 0x21, 0x22, 0x31, 0x32].contains(header[13]) else {
            throw ProxyProtocolError("undefined address family and transport \(header[13])")
        }
        let length = Int(header[14]) << 8 | Int(header[15])
        guard length <= self.maxLength else { throw ProxyProtocolError("a \(length)-byte header is over the \(self.maxLength)-byte limit") }
        guard bytes.count >= 16 + length else { return nil }
        let whole = Array(bytes.prefix(16 + length))
        let block = whole[16...]
        if command == .local {
            // Its addresses (if any fit) are skipped; TLVs are read only when they do.
            let size = family <= 3 ? [0, 12, 36, 216][Int(family)] : 0
            let tlvs = size <= length ? ((try? Self.tlvs(whole, from: 16 + size)) ?? []) : []
            return (ProxyProtocolHeader(version: 2, command: .local, addresses: .unknown, tlvs: tlvs), 16 + length)
        }
        let addressLength = [0, 12, 36, 216][Int(family)]
        guard length >= addressLength else { throw ProxyProtocolError("\(length) bytes cannot hold the addresses of family \(family)") }
        var addresses = ProxyProtocolHeader.Addresses.unknown
        let base = block.startIndex
        switch family {
        case 1:
            let source = try Self.inet(Array(block[base..<base + 4]), port: Self.uint16(block, base + 8))
            let destination = try Self.inet(Array(block[base + 4..<base + 8]), port: Self.uint16(block, base + 10))
            addresses = .inet(source: source, destination: destination)
        case 2:
            let source = try Self.inet(Array(block[base..<base + 16]), port: Self.uint16(block, base + 32))
            let destination = try Self.inet(Array(block[base + 16..<base + 32]), port: Self.uint16(block, base + 34))
            addresses = .inet(source: source, destination: destination)
        case 3:
            addresses = .unix(source: Self.path(block[base..<base + 108]), destination: Self.path(block[base + 108..<base + 216]))
        default:
            break
        }
        let tlvs = try Self.tlvs(whole, from: base + addressLength)
        return (ProxyProtocolHeader(version: 2, command: command, addresses: addresses, tlvs: tlvs), 16 + length)
    }

    private static func uint16(_ bytes: ArraySlice<UInt8>, _ index: Int) -> Int {
        Int(bytes[index]) << 8 | Int(bytes[index + 1])
    }

    private static func inet(_ packed: [UInt8], port: Int) throws(ProxyProtocolError) -> SocketAddress {
        do {
            return try SocketAddress(packedIPAddress: ByteBuffer(bytes: packed), port: port)
        } catch {
            throw ProxyProtocolError("a bad address")
        }
    }

    /// A Unix socket path: the bytes up to the first NUL.
    private static func path(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The TLVs from `start` to the end of `header`, which they must fill exactly; a CRC32C one
    /// is checked against the whole header.
    private static func tlvs(_ header: [UInt8], from start: Int) throws(ProxyProtocolError) -> [ProxyProtocolHeader.TLV] {
        var tlvs: [ProxyProtocolHeader.TLV] = []
        var index = start
        while index < header.count {
            guard index + 3 <= header.count else { throw ProxyProtocolError("a TLV cut short at the end of the header") }
            let type = header[index]
            let length = Int(header[index + 1]) << 8 | Int(header[index + 2])
            let valueStart = index + 3
            guard valueStart + length <= header.count else { throw ProxyProtocolError("a TLV longer than the header") }
            let value = Array(header[valueStart..<valueStart + length])
            switch type {
            case ProxyProtocolHeader.TLVType.crc32c:
                guard length == 4 else { throw ProxyProtocolError("a CRC32C TLV of \(length) bytes") }
                guard !tlvs.contains(where: { $0.type == type }) else { throw ProxyProtocolError("a second CRC32C TLV") }
                var zeroed = header
                for offset in valueStart..<valueStart + 4 { zeroed[offset] = 0 }
                let expected = UInt32(value[0]) << 24 | UInt32(value[1]) << 16 | UInt32(value[2]) << 8 | UInt32(value[3])
                guard CRC32C.checksum(zeroed) == expected else { throw ProxyProtocolError("the CRC32C does not match") }
            case ProxyProtocolHeader.TLVType.uniqueID:
                guard length <= 128 else { throw ProxyProtocolError("a unique id of \(length) bytes (at most 128)") }
            case ProxyProtocolHeader.TLVType.ssl:
                try Self.checkSSL(value)
            default:
                break
            }
            tlvs.append(ProxyProtocolHeader.TLV(type: type, value: value))
            index = valueStart + length
        }
        return tlvs
    }

    /// An SSL TLV: the client flags, the verify result, then sub-TLVs filling it exactly.
    private static func checkSSL(_ value: [UInt8]) throws(ProxyProtocolError) {
        guard value.count >= 5 else { throw ProxyProtocolError("an SSL TLV of \(value.count) bytes") }
        var index = 5
        while index < value.count {
            guard index + 3 <= value.count else { throw ProxyProtocolError("an SSL sub-TLV cut short") }
            let length = Int(value[index + 1]) << 8 | Int(value[index + 2])
            guard index + 3 + length <= value.count else { throw ProxyProtocolError("an SSL sub-TLV longer than its TLV") }
            index += 3 + length
        }
    }
}
