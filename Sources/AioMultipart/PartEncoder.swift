import AioStreams
import NIOCore

/// How a part's bytes are written: `Content-Transfer-Encoding` for 7-bit transports.
public enum TransferEncoding: String, Sendable, Hashable {
    /// Base64 in 76-character lines (RFC 2045 §6.8).
    case base64
    /// Quoted-printable (RFC 2045 §6.7).
    case quotedPrintable = "quoted-printable"
}

/// How a part's bytes are compressed: `Content-Encoding`.
public enum ContentEncoding: String, Sendable, Hashable {
    /// gzip (RFC 1952).
    case gzip
    /// Raw deflate, as aiohttp writes it in multipart bodies.
    case deflate
}

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

/// Base64 in CRLF-separated 76-character lines, piece by piece: up to two bytes wait for the
/// next piece to complete a quantum.
struct Base64StreamEncoder {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private var carry: [UInt8] = []
    private var column = 0

    /// The encoded length of `count` bytes.
    static func length(of count: Int) -> Int {
        let characters = (count + 2) / 3 * 4
        return characters + max(0, (characters - 1) / 76) * 2
    }

    mutating func encode(_ piece: ByteBuffer, last: Bool) -> ByteBuffer {
        var bytes = self.carry
        bytes.append(contentsOf: piece.readableBytesView)
        let whole = last ? bytes.count : bytes.count / 3 * 3
        self.carry = Array(bytes[whole...])
        var output = ByteBuffer()
        output.reserveCapacity(Self.length(of: whole) + 2)
        var index = 0
        while index < whole {
            let count = min(3, whole - index)
            var value = UInt32(bytes[index]) << 16
            if count > 1 { value |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { value |= UInt32(bytes[index + 2]) }
            if self.column == 76 {
                output.writeStaticString("\r\n")
                self.column = 0
            }
            for position in 0..<4 {
                output.writeInteger(position <= count ? Self.alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "="))
            }
            self.column += 4
            index += 3
        }
        return output
    }
}

/// Quoted-printable, piece by piece: CRLF line breaks stay, every other byte outside printable
/// ASCII (and `=`) becomes `=XX`, lines are kept under 76 characters with soft breaks.
struct QuotedPrintableEncoder {
    private var column = 0
    /// A CR at the end of the last piece, waiting to see whether LF follows.
    private var pendingCR = false

    mutating func encode(_ piece: ByteBuffer, last: Bool) -> ByteBuffer {
        var bytes = [UInt8]()
        bytes.reserveCapacity(piece.readableBytes + 16)
        var input = Array(piece.readableBytesView)
        if self.pendingCR {
            input.insert(0x0D, at: 0)
            self.pendingCR = false
        }
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == 0x0D {
                if index + 1 == input.count, !last {
                    self.pendingCR = true
                    break
                }
                if index + 1 < input.count, input[index + 1] == 0x0A {
                    bytes += [0x0D, 0x0A]
                    self.column = 0
                    index += 2
                    continue
                }
            }
            let nextIsBreak = index + 1 == input.count || input[index + 1] == 0x0D
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !nextIsBreak)
            let width = literal ? 1 : 3
            if self.column + width > 75 {
                bytes += [UInt8(ascii: "="), 0x0D, 0x0A]
                self.column = 0
            }
            if literal {
                bytes.append(byte)
            } else {
                Hex.escape(byte, into: &bytes, marker: UInt8(ascii: "="))
            }
            self.column += width
            index += 1
        }
        return ByteBuffer(bytes: bytes)
    }
}
