/// The `uri-host [ ":" port ]` grammar of RFC 3986 §3.2, used for `Host` and for the
/// authority of absolute-form and authority-form request targets.
package enum URIAuthority {
    /// Whether `bytes` is `host [ ":" port ]`; with `requirePort`, the port must be present
    /// (authority-form of `CONNECT`, RFC 9112 §3.2.3).
    package static func isValid(_ bytes: UnsafeRawBufferPointer, requirePort: Bool) -> Bool {
        var index = 0
        let count = bytes.count
        if count > 0, bytes[0] == UInt8(ascii: "[") {
            // IP-literal: IPv6 address or IPvFuture, checked for its alphabet only.
            index = 1
            while index < count, bytes[index] != UInt8(ascii: "]") {
                let byte = bytes[index]
                guard Hex.value(byte) != nil || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "v") || byte == UInt8(ascii: "V") || isUnreserved(byte)
                    || isSubDelimiter(byte)
                else { return false }
                index += 1
            }
            guard index < count, index > 1 else { return false }
            index += 1
        } else {
            while index < count, bytes[index] != UInt8(ascii: ":") {
                let byte = bytes[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < count, Hex.value(bytes[index + 1]) != nil,
                        Hex.value(bytes[index + 2]) != nil
                    else { return false }
                    index += 3
                    continue
                }
                guard isUnreserved(byte) || isSubDelimiter(byte) else { return false }
                index += 1
            }
        }
        if index == count { return !requirePort }
        guard bytes[index] == UInt8(ascii: ":") else { return false }
        index += 1
        if requirePort, index == count { return false }
        while index < count {
            guard HTTPByte.isDigit(bytes[index]) else { return false }
            index += 1
        }
        return true
    }

    /// The host of `bytes`, an authority, is not empty.
    static func hasHost(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count > 0 && bytes[0] != UInt8(ascii: ":")
    }

    @inline(__always)
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    private static func isSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
