import NIOCore

/// A transformation of body bytes piece by piece, such as compression: the server applies it to
/// every piece a ``ResponseBodyWriter`` writes, file regions included, and appends what
/// ``finish()`` returns; ``RequestBody/transformed(by:)`` applies one to a request body as it is
/// read (a content coding decoded).
///
/// It is used by one writer or reader, one piece after another.
public protocol BodyTransform: AnyObject, Sendable {
    /// The bytes to send for `buffer` (possibly none yet).
    func transform(_ buffer: ByteBuffer) throws -> ByteBuffer
    /// The bytes still held back, once the body is complete.
    func finish() throws -> ByteBuffer
}
