import AioWire

/// `application/x-www-form-urlencoded` bodies and query strings (WHATWG URL standard).
public enum FormEncoding {
    /// Decodes `name=value&…` pairs, `+` as space and `%XX` escapes; bytes that are not UTF-8
    /// after decoding are replaced, as browsers do.
    public static func decode(_ text: some StringProtocol) -> MultiDict<String> {
        var result = MultiDict<String>()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result.append(
                PercentEncoding.decode(parts[0], plusAsSpace: true),
                PercentEncoding.decode(parts.count > 1 ? parts[1] : "", plusAsSpace: true)
            )
        }
        return result
    }

    /// Encodes `pairs` as `name=value&…`, escaping everything but unreserved characters and
    /// spaces, which become `+`.
    public static func encode(_ pairs: some Sequence<(String, String)>) -> String {
        pairs.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
    }

    private static func encode(_ text: String) -> String {
        PercentEncoding.encode(text, spaceAsPlus: true, unescaped: PercentEncoding.isUnreserved)
    }
}
