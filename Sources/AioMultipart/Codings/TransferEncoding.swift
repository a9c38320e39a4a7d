/// How a part's bytes are written: `Content-Transfer-Encoding` for 7-bit transports.
public enum TransferEncoding: String, Sendable, Hashable {
    /// Base64 in 76-character lines (RFC 2045 §6.8).
    case base64
    /// Quoted-printable (RFC 2045 §6.7).
    case quotedPrintable = "quoted-printable"
}
