/// Percent-encoding of URLs and `application/x-www-form-urlencoded` bodies (WHATWG URL standard).
public enum FormEncoding {
    /// Decodes `name=value&…` pairs, `+` as space and `%XX` escapes; bytes that are not UTF-8
    /// after decoding are replaced, as browsers do.
    public static func decode(_ text: some StringProtocol) -> MultiDict<String> {
        var result = MultiDict<String>()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result.append(Self.percentDecode(parts[0], plusAsSpace: true), Self.percentDecode(parts.count > 1 ? parts[1] : "", plusAsSpace: true))
        }
        return result
    }

    /// Encodes `pairs` as `name=value&…`, escaping everything but unreserved characters and
    /// spaces, which become `+`.
    public static func encode(_ pairs: some Sequence<(String, String)>) -> String {
        pairs.map { Self.percentEncode($0.0, spaceAsPlus: true) + "=" + Self.percentEncode($0.1, spaceAsPlus: true) }
            .joined(separator: "&")
    }

    /// `%XX` escapes decoded; with `plusAsSpace`, `+` too. Malformed escapes stay as they are.
    @inlinable
    public static func percentDecode(_ text: some StringProtocol, plusAsSpace: Bool = false) -> String {
        Self.percentDecode(string: String(text), plusAsSpace: plusAsSpace)
    }

    @usableFromInline
    static func percentDecode(string text: String, plusAsSpace: Bool) -> String {
        // Most paths and values have nothing to decode: they come back without a copy.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return text
        }
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count, let high = Hex.value(utf8[index + 1]),
                let low = Hex.value(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Escapes every byte but ALPHA, DIGIT and `-._~` (and, with `allowed`, those too).
    public static func percentEncode(_ text: some StringProtocol, spaceAsPlus: Bool = false, allowed: Set<UInt8> = []) -> String {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus:
                bytes.append(UInt8(ascii: "+"))
            case _ where allowed.contains(byte):
                bytes.append(byte)
            default:
                Hex.escape(byte, into: &bytes)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
