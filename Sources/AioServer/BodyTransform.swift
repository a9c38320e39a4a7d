import NIOCore

/// A transformation of response body bytes on their way out, such as compression: the server
/// applies it to every piece a ``ResponseBodyWriter`` writes, file regions included, and appends
/// what ``finish()`` returns.
///
/// It is used by one writer, one piece after another.
public protocol BodyTransform: AnyObject, Sendable {
    /// The bytes to send for `buffer` (possibly none yet).
    func transform(_ buffer: ByteBuffer) throws -> ByteBuffer
    /// The bytes still held back, once the body is complete.
    func finish() throws -> ByteBuffer
}
