#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// incomplete. One allocation: the header keeps its addresses and TLVs as received, and
    /// decodes them when asked.
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
        let end = bytes.index(bytes.startIndex, offsetBy: min(bytes.count, Self.v1MaxLength))
        guard let lf = bytes[bytes.startIndex..<end].firstIndex(of: UInt8(ascii: "\n")) else {
            if bytes.count >= Self.v1MaxLength { throw ProxyProtocolError("no CRLF within 107 bytes") }
            return nil
        }
        guard lf > bytes.startIndex, bytes[lf - 1] == UInt8(ascii: "\r") else { throw ProxyProtocolError("a bare LF ends the line") }
        let length = lf + 1 - bytes.startIndex
        // The parts after "PROXY ", single spaces apart: an empty part is a doubled or trailing space.
        var fields = FieldReader(bytes: bytes, from: bytes.startIndex + Self.v1Prefix.count, to: lf - 1)
        guard let proto = fields.next() else { throw ProxyProtocolError("no protocol") }
        if bytes[proto].elementsEqual("UNKNOWN".utf8) {
            // The rest of the line, whatever it holds, is ignored (§2.1).
            return (ProxyProtocolHeader(version: 1, command: .proxy, family: 0, bytes: [], tlvStart: 0), length)
        }
        let isV6: Bool
        if bytes[proto].elementsEqual("TCP4".utf8) {
            isV6 = false
        } else if bytes[proto].elementsEqual("TCP6".utf8) {
            isV6 = true
        } else {
            throw ProxyProtocolError("unknown protocol \(String(decoding: bytes[proto], as: UTF8.self))")
        }
        guard let source = fields.next(), let destination = fields.next(), let sourcePort = fields.next(),
            let destinationPort = fields.next(), fields.atEnd, !fields.failed
        else {
            throw ProxyProtocolError("a version 1 line is PROXY, the protocol, two addresses and two ports, single spaces apart")
        }
        // The address block of a version 2 header: both addresses, then both ports.
        var block: [UInt8] = []
        block.reserveCapacity(isV6 ? 36 : 12)
        try Self.appendAddress(bytes[source], isV6: isV6, to: &block)
        try Self.appendAddress(bytes[destination], isV6: isV6, to: &block)
        try Self.appendPort(bytes[sourcePort], to: &block)
        try Self.appendPort(bytes[destinationPort], to: &block)
        let header = ProxyProtocolHeader(version: 1, command: .proxy, family: isV6 ? 2 : 1, bytes: block, tlvStart: block.count)
        return (header, length)
    }

    /// The parts of a line between single spaces, in order.
    private struct FieldReader {
        let bytes: ByteBufferView
        var index: Int
        let end: Int
        /// An empty part was met.
        var failed = false

        init(bytes: ByteBufferView, from index: Int, to end: Int) {
            self.bytes = bytes
            self.index = index
            self.end = end
        }

        var atEnd: Bool { self.index > self.end }

        mutating func next() -> Range<Int>? {
            guard self.index <= self.end else { return nil }
            let start = self.index
            var stop = start
            while stop < self.end, self.bytes[stop] != UInt8(ascii: " ") { stop += 1 }
            if stop == start { self.failed = true }
            self.index = stop + 1
            return start..<stop
        }
    }

    /// Appends the two bytes of a port: 1–5 digits, no leading zero (but `0` itself), at most
    /// 65535.
    private static func appendPort(_ text: ByteBufferView.SubSequence, to block: inout [UInt8]) throws(ProxyProtocolError) {
        var refusal: ProxyProtocolError { ProxyProtocolError("ports are decimal numbers up to 65535 without leading zeros") }
        guard (1...5).contains(text.count), text.first != UInt8(ascii: "0") || text.count == 1 else { throw refusal }
        var value = 0
        for byte in text {
            guard byte >= 0x30, byte <= 0x39 else { throw refusal }
            value = value * 10 + Int(byte - 0x30)
        }
        guard value <= 65535 else { throw refusal }
        block.append(UInt8(value >> 8))
        block.append(UInt8(value & 0xFF))
    }

    /// Appends the 4 or 16 bytes of an address in its standard text form: dotted decimal without
    /// leading zeros for IPv4, RFC 4291's forms for IPv6 (no zone).
    private static func appendAddress(_ text: ByteBufferView.SubSequence, isV6: Bool, to block: inout [UInt8]) throws(ProxyProtocolError) {
        // Made only when thrown: the message costs allocations every valid header would pay.
        var refusal: ProxyProtocolError { ProxyProtocolError("\(String(decoding: text, as: UTF8.self)) is not a TCP\(isV6 ? 6 : 4) address") }
        guard text.contains(UInt8(ascii: ":")) == isV6 else { throw refusal }
        guard isV6 else {
            // Four decimal octets, no leading zeros (inet_pton's rules differ between systems).
            var octets = 0
            var value = 0
            var digits = 0
            for byte in text {
                if byte == UInt8(ascii: ".") {
                    guard digits > 0, octets < 3 else { throw refusal }
                    block.append(UInt8(value))
                    (octets, value, digits) = (octets + 1, 0, 0)
                    continue
                }
                guard byte >= 0x30, byte <= 0x39, digits < 3, digits == 0 || value != 0 else { throw refusal }
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                guard value <= 255 else { throw refusal }
            }
            guard octets == 3, digits > 0 else { throw refusal }
            block.append(UInt8(value))
            return
        }
        // RFC 4291 text only: hex digits, colons and a trailing dotted IPv4 (no zone, no NUL).
        guard text.count <= 45, text.allSatisfy({ Hex.value($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else {
            throw refusal
        }
        var address = in6_addr()
        let parsed = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 46) { cString in
            for (offset, byte) in text.enumerated() { cString[offset] = CChar(bitPattern: byte) }
            cString[text.count] = 0
            return inet_pton(AF_INET6, cString.baseAddress, &address)
        }
        guard parsed == 1 else { throw refusal }
        withUnsafeBytes(of: &address) { block.append(contentsOf: $0) }
    }

    // MARK: Version 2

    private func decodeV2(_ bytes: ByteBufferView) throws(ProxyProtocolError) -> (ProxyProtocolHeader, Int)? {
        guard bytes.count >= 16 else { return nil }
        let start = bytes.startIndex
        let versionAndCommand = bytes[start + 12]
        let familyAndTransport = bytes[start + 13]
        guard versionAndCommand >> 4 == 2 else { throw ProxyProtocolError("version \(versionAndCommand >> 4) after the version 2 signature") }
        let command: ProxyProtocolHeader.Command
        switch versionAndCommand & 0x0F {
        case 0: command = .local
        case 1: command = .proxy
        default: throw ProxyProtocolError("unknown command \(versionAndCommand & 0x0F)")
        }
        // The defined pairs only (UNSPEC, or a family with STREAM or DGRAM); a LOCAL header's
        // family is ignored, whatever it says.
        switch familyAndTransport {
        case 0x00, 0x11, 0x12, 0x21, 0x22, 0x31, 0x32: break
        default:
            guard command == .local else { throw ProxyProtocolError("undefined address family and transport \(familyAndTransport)") }
        }
        let family = familyAndTransport >> 4
        let length = Int(bytes[start + 14]) << 8 | Int(bytes[start + 15])
        guard length <= self.maxLength else { throw ProxyProtocolError("a \(length)-byte header is over the \(self.maxLength)-byte limit") }
        guard bytes.count >= 16 + length else { return nil }
        let block = Array(bytes[(start + 16)..<(start + 16 + length)])
        let addressLength = Self.addressLength(family)
        if command == .local {
            // Its addresses (if any fit) are skipped; TLVs are read only when they do and are
            // well formed.
            let valid = addressLength <= length && (try? Self.checkTLVs(block, from: addressLength, signed: bytes[start..<start + 16])) != nil
            return (ProxyProtocolHeader(version: 2, command: .local, family: family, bytes: block, tlvStart: valid ? addressLength : length), 16 + length)
        }
        guard length >= addressLength else { throw ProxyProtocolError("\(length) bytes cannot hold the addresses of family \(family)") }
        try Self.checkTLVs(block, from: addressLength, signed: bytes[start..<start + 16])
        return (ProxyProtocolHeader(version: 2, command: command, family: family, bytes: block, tlvStart: addressLength), 16 + length)
    }

    /// The size of the address block of `family`: AF_INET, AF_INET6, AF_UNIX, else none.
    private static func addressLength(_ family: UInt8) -> Int {
        switch family {
        case 1: 12
        case 2: 36
        case 3: 216
        default: 0
        }
    }

    /// Checks the TLVs of `block` from `start`: they fill it exactly, a CRC32C one matches the
    /// whole header (its 16 first bytes `signed`, then `block`), and those with a defined shape
    /// have it.
    private static func checkTLVs(_ block: [UInt8], from start: Int, signed: ByteBufferView.SubSequence) throws(ProxyProtocolError) {
        var sawCRC = false
        let filled = try ProxyProtocolHeader.walk(block, from: start) { (type, range) throws(ProxyProtocolError) -> Bool in
            switch type {
            case ProxyProtocolHeader.TLVType.crc32c:
                guard range.count == 4 else { throw ProxyProtocolError("a CRC32C TLV of \(range.count) bytes") }
                guard !sawCRC else { throw ProxyProtocolError("a second CRC32C TLV") }
                sawCRC = true
                // The checksum of the whole header with this TLV's value zeroed.
                var crc = CRC32C.update(CRC32C.start, signed)
                crc = CRC32C.update(crc, block[..<range.lowerBound])
                crc = CRC32C.update(crc, repeatElement(0, count: 4))
                crc = CRC32C.update(crc, block[range.upperBound...])
                let expected = UInt32(ProxyProtocolHeader.uint16(block, range.lowerBound)) << 16 | UInt32(ProxyProtocolHeader.uint16(block, range.lowerBound + 2))
                guard CRC32C.finish(crc) == expected else { throw ProxyProtocolError("the CRC32C does not match") }
            case ProxyProtocolHeader.TLVType.uniqueID:
                guard range.count <= 128 else { throw ProxyProtocolError("a unique id of \(range.count) bytes (at most 128)") }
            case ProxyProtocolHeader.TLVType.ssl:
                try Self.checkSSL(block[range])
            default:
                break
            }
            return true
        }
        guard filled else { throw ProxyProtocolError("a TLV cut short or longer than the header") }
    }

    /// An SSL TLV: the client flags, the verify result, then sub-TLVs filling it exactly.
    private static func checkSSL(_ value: ArraySlice<UInt8>) throws(ProxyProtocolError) {
        guard value.count >= 5 else { throw ProxyProtocolError("an SSL TLV of \(value.count) bytes") }
        var index = value.startIndex + 5
        while index < value.endIndex {
            guard index + 3 <= value.endIndex else { throw ProxyProtocolError("an SSL sub-TLV cut short") }
            let length = Int(value[index + 1]) << 8 | Int(value[index + 2])
            guard index + 3 + length <= value.endIndex else { throw ProxyProtocolError("an SSL sub-TLV longer than its TLV") }
            index += 3 + length
        }
    }
}
