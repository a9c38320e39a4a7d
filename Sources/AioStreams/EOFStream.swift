/// The input ended before a reader got what it asked for, as aiohttp's `EofStream`.
///
/// ``ParserBuffer`` throws it when the byte source finishes in the middle of a read, and
/// ``DataQueue`` when a consumer reads past its end.
public struct EOFStream: Error, Sendable, Hashable, CustomStringConvertible {
    /// Bytes that were buffered but not enough for the read that failed.
    public let bufferedBytes: Int

    /// An end-of-stream error with `bufferedBytes` left unread.
    public init(bufferedBytes: Int = 0) {
        self.bufferedBytes = bufferedBytes
    }

    public var description: String {
        "End of stream with \(self.bufferedBytes) bytes unread"
    }
}
