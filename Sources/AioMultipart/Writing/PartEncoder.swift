import AioStreams
import NIOCore

/// Compresses, then transfer-encodes, a part's bytes piece by piece: the inverse of
/// ``PartDecoder``.
struct PartEncoder {
    private var base64: Base64StreamEncoder?
    private var quotedPrintable: QuotedPrintableEncoder?
    private let compressor: StreamCompressor?

    init(transfer: TransferEncoding?, content: ContentEncoding?) throws {
        switch transfer {
        case .base64: self.base64 = Base64StreamEncoder()
        case .quotedPrintable: self.quotedPrintable = QuotedPrintableEncoder()
        case nil: break
        }
        switch content {
        case .gzip: self.compressor = try StreamCompressor(.gzip)
        case .deflate: self.compressor = try StreamCompressor(.rawDeflate())
        case nil: self.compressor = nil
        }
    }

    mutating func encode(_ piece: ByteBuffer) throws -> ByteBuffer {
        self.transfer(try self.compressor?.compress(piece) ?? piece, last: false)
    }

    mutating func finish() throws -> ByteBuffer {
        self.transfer(try self.compressor?.finish() ?? ByteBuffer(), last: true)
    }

    private mutating func transfer(_ piece: ByteBuffer, last: Bool) -> ByteBuffer {
        if self.base64 != nil { return self.base64!.encode(piece, last: last) }
        if self.quotedPrintable != nil { return self.quotedPrintable!.encode(piece, last: last) }
        return piece
    }
}
