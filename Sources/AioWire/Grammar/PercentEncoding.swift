/// Percent-encoding (RFC 3986 §2.1) for the whole package: URL paths and queries, form bodies
/// and RFC 8187 parameter values are decoded and encoded with these.
package enum PercentEncoding {
    /// `text` with its `%XX` escapes decoded, and `+` as a space with `plusAsSpace` (form
    /// bodies); malformed escapes stay as they are, bytes that are not UTF-8 afterwards are
    /// replaced, as browsers do.
    package static func decode(_ text: some StringProtocol, plusAsSpace: Bool = false) -> String {
        var text = String(text)
        // Most paths and values have nothing to decode: they come back without a copy.
        let decoded = text.withUTF8 { bytes in
            Self.needsDecoding(bytes[...], plusAsSpace: plusAsSpace) ? Self.decoded(bytes[...], plusAsSpace: plusAsSpace) : nil
        }
        return decoded ?? text
    }

    /// The UTF-8 `bytes` decoded as ``decode(_:plusAsSpace:)`` decodes text: a path's segments
    /// are decoded straight from the path's bytes, without a string of each made first.
    package static func decode(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, plusAsSpace: Bool = false) -> String {
        Self.needsDecoding(bytes, plusAsSpace: plusAsSpace)
            ? Self.decoded(bytes, plusAsSpace: plusAsSpace) : String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` hold an escape (or a `+` to turn into a space). Read from the contiguous
    /// bytes: through a string's UTF-8 view the scan costs ~20 instructions a byte.
    private static func needsDecoding(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, plusAsSpace: Bool) -> Bool {
        let plus = plusAsSpace ? UInt8(ascii: "+") : UInt8(ascii: "%")
        return bytes.contains { $0 == UInt8(ascii: "%") || $0 == plus }
    }

    private static func decoded(_ utf8: Slice<UnsafeBufferPointer<UInt8>>, plusAsSpace: Bool) -> String {
        // The string's initializer repairs bytes that are not UTF-8 once decoded.
        String(unsafeUninitializedCapacity: utf8.count) { output in
            var count = 0
            var index = utf8.startIndex
            while index < utf8.endIndex {
                let byte = utf8[index]
                if byte == UInt8(ascii: "%"), index + 2 < utf8.endIndex, let high = Hex.value(utf8[index + 1]),
                    let low = Hex.value(utf8[index + 2])
                {
                    output[count] = high << 4 | low
                    index += 3
                } else {
                    output[count] = plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte
                    index += 1
                }
                count += 1
            }
            return count
        }
    }

    /// The bytes of `text` with its `%XX` escapes decoded, strictly: nil for a broken escape or
    /// for a byte that `allowed` refuses unescaped (RFC 8187's `attr-char`, say).
    package static func decodeStrictly(_ text: some StringProtocol, allowed: (UInt8) -> Bool) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = Hex.value(utf8[index + 1]), let low = Hex.value(utf8[index + 2])
                else { return nil }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                guard allowed(byte) else { return nil }
                bytes.append(byte)
                index += 1
            }
        }
        return bytes
    }

    /// `text`'s UTF-8 bytes, those `unescaped` accepts as they are, a space as `+` with
    /// `spaceAsPlus`, every other one `%XX`.
    package static func encode(_ text: some StringProtocol, spaceAsPlus: Bool = false, unescaped: (UInt8) -> Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unescaped(byte) {
                bytes.append(byte)
            } else if spaceAsPlus, byte == UInt8(ascii: " ") {
                bytes.append(UInt8(ascii: "+"))
            } else {
                Hex.escape(byte, into: &bytes)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 3986's unreserved characters: ALPHA, DIGIT and `-._~`.
    package static func isUnreserved(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower &- 0x61 < 26) || (byte &- 0x30 < 10) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }
}
