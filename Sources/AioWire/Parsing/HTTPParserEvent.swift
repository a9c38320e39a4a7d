import HTTPTypes
import NIOCore

/// One step of a parsed message: its head, a piece of its body, or its end.
///
/// A parser yields, per message, exactly one `head`, any number of `body` slices (never copied
/// out of the input buffer) and one `end`, whatever way the input bytes were split.
public enum HTTPParserEvent<Head: Sendable & Hashable>: Sendable, Hashable {
    /// The start line and header fields.
    case head(Head)
    /// A piece of the body, after any chunked framing is removed.
    case body(ByteBuffer)
    /// The end of the message, with its trailer fields if a chunked body had some.
    case end(HTTPFields?)
}
