extension StringProtocol {
    /// Whether the text holds a control character other than a tab (%x00-08, %x0A-1F, %x7F):
    /// what RFC 9110's quoted strings and RFC 6265bis's cookies refuse, and what could end a
    /// field line if sent back.
    var containsControlCharacters: Bool {
        self.utf8.contains { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }
    }
}
