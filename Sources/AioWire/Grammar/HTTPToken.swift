/// The `token` syntax of RFC 9110 §5.6.2, for the layers above the wire codec that parse and
/// build header values of their own (media types, Content-Disposition, WebSocket extensions).
public enum HTTPToken {
    /// Whether `byte` is a `tchar`: ALPHA, DIGIT or one of `!#$%&'*+-.^_|~` and the grave accent.
    public static func isTokenChar(_ byte: UInt8) -> Bool {
        HTTPByte.isTokenChar(byte)
    }

    /// Whether `text` is a non-empty token.
    public static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(HTTPByte.isTokenChar)
    }
}
