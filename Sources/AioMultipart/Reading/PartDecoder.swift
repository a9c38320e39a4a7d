import AioStreams
import HTTPTypes
import NIOCore

/// Undoes a part's `Content-Transfer-Encoding` and then its `Content-Encoding`, piece by piece.
struct PartDecoder {
    private enum Transfer {
        case identity
        case base64(Base64StreamDecoder)
        case quotedPrintable(QuotedPrintableDecoder)
    }

    private var transfer: Transfer
    private let content: ContentDecoder?

    /// The decoder a part's fields call for; throws for an encoding this package does not know,
    /// as aiohttp does, rather than hand over bytes the caller cannot use.
    init(_ fields: PartFields, limit: Int) throws {
        switch fields.transferEncoding?.lowercased() {
        case nil, "7bit", "8bit", "binary": self.transfer = .identity
        case "base64": self.transfer = .base64(Base64StreamDecoder())
        case "quoted-printable": self.transfer = .quotedPrintable(QuotedPrintableDecoder())
        case let other?: throw MultipartError("Unknown Content-Transfer-Encoding: \(other)")
        }
        switch fields.contentEncoding?.lowercased() {
        case nil, "identity": self.content = nil
        case let coding?:
            guard let decoder = ContentDecoder(coding: coding, limit: limit) else {
                throw MultipartError("Unknown Content-Encoding: \(coding)")
            }
            self.content = decoder
        }
    }

    /// Whether the part's bytes are used as they are.
    var isIdentity: Bool {
        if case .identity = self.transfer { return self.content == nil }
        return false
    }

    mutating func decode(_ piece: ByteBuffer) throws -> ByteBuffer {
        let decoded: ByteBuffer
        switch self.transfer {
        case .identity:
            decoded = piece
        case .base64(var decoder):
            decoded = try decoder.decode(piece)
            self.transfer = .base64(decoder)
        case .quotedPrintable(var decoder):
            decoded = decoder.decode(piece)
            self.transfer = .quotedPrintable(decoder)
        }
        guard let content = self.content else { return decoded }
        return try Self.mapErrors { try content.decode(decoded) }
    }

    mutating func finish() throws -> ByteBuffer {
        var tail = ByteBuffer()
        switch self.transfer {
        case .identity: break
        case .base64(let decoder): try decoder.finish()
        case .quotedPrintable(var decoder):
            tail = decoder.finish()
            self.transfer = .quotedPrintable(decoder)
        }
        guard let content = self.content else { return tail }
        return try Self.mapErrors {
            let inflated = try content.decode(tail)
            try content.finish()
            return inflated
        }
    }

    /// A content coding's failure as the multipart error it is: 413 past the limit, 400 else.
    private static func mapErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch StreamDecompressor.Failure.tooLarge(let limit) {
            throw MultipartError.tooLarge("A part inflates to more than \(limit) bytes")
        } catch StreamDecompressor.Failure.trailingData {
            throw MultipartError("Data after the end of a compressed part")
        } catch StreamDecompressor.Failure.truncated {
            throw MultipartError("Truncated compressed part")
        } catch is StreamDecompressor.Failure {
            throw MultipartError("Corrupt compressed data in a part")
        }
    }
}

extension HTTPField.Name {
    /// `Content-Transfer-Encoding` (RFC 2045 §6), used in MIME body parts.
    static let contentTransferEncoding = HTTPField.Name("Content-Transfer-Encoding")!
}
