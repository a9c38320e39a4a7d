import AioStreams
import AioWire
import HTTPTypes
import NIOCore

/// The buffered body a multipart reader and its nested readers share, with the limits that
/// apply to the whole body; stream errors become ``MultipartError``s.
final class MultipartStream<Source: AsyncSequence> where Source.Element == ByteBuffer {
    private var buffer: ParserBuffer<Source>
    let configuration: MultipartConfiguration
    private var partCount = 0

    init(_ source: Source, configuration: MultipartConfiguration) {
        self.buffer = ParserBuffer(source)
        self.configuration = configuration
    }

    func readSome(_ maxCount: Int, before delimiter: [UInt8]) async throws -> ByteBuffer? {
        try await self.mapEOF { try await self.buffer.readSome(maxCount, before: delimiter) }
    }

    func read(_ count: Int) async throws -> ByteBuffer {
        try await self.mapEOF { try await self.buffer.read(count) }
    }

    /// Whether the bytes `offset` ahead end a boundary: `--`, or optional spaces and tabs and
    /// CRLF (RFC 2046 §5.1.1).
    func isBoundaryEnd(at offset: Int) async throws -> Bool {
        let next = try await self.mapEOF { try await self.buffer.wait(offset + 2) }.readableBytesView.suffix(2)
        if next.elementsEqual(MultipartSyntax.dashes) || next.elementsEqual(MultipartSyntax.crlf) { return true }
        guard next.first == UInt8(ascii: " ") || next.first == UInt8(ascii: "\t") else { return false }
        // Transport padding: spaces and tabs up to the CRLF, looked at one byte at a time.
        for length in (offset + 2)...(offset + 1024) {
            let padding = try await self.mapEOF { try await self.buffer.wait(length) }.readableBytesView.dropFirst(offset)
            if padding.suffix(2).elementsEqual(MultipartSyntax.crlf) { return true }
            guard let last = padding.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") else {
                return false
            }
        }
        return false
    }

    func skip(_ count: Int) async throws {
        try await self.mapEOF { try await self.buffer.skip(count) }
    }

    /// Whether the next bytes are `bytes`; the body ending first is an error.
    func startsWith(_ bytes: [UInt8]) async throws -> Bool {
        try await self.mapEOF { try await self.buffer.wait(bytes.count).readableBytesView.elementsEqual(bytes) }
    }

    func skipUntil(_ delimiter: [UInt8], missing: String) async throws {
        do {
            try await self.buffer.skipUntil(delimiter)
        } catch is EOFStream {
            throw MultipartError(missing)
        }
    }

    /// Drops everything left, as an epilogue is.
    func skipToEnd() async throws {
        while try await self.buffer.readSome(65536) != nil {}
    }

    /// The rest of a boundary line: optional spaces and tabs, then CRLF.
    func readLineEnd() async throws {
        let line = try await self.mapEOF {
            do {
                return try await self.buffer.readUntil(MultipartSyntax.crlf, limit: 1024)
            } catch is LineTooLong {
                throw MultipartError("Malformed boundary line")
            }
        }
        guard line.readableBytesView.dropLast(2).allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else {
            throw MultipartError("Malformed boundary line")
        }
    }

    /// A part's header section, counting the part against ``MultipartConfiguration/maxParts``.
    func readPartHeaders() async throws -> HTTPFields {
        self.partCount += 1
        guard self.partCount <= self.configuration.maxParts else {
            throw MultipartError.tooLarge("More than \(self.configuration.maxParts) parts")
        }
        let limits = self.configuration.partHeaders
        return try await self.mapEOF {
            if try await self.startsWith(MultipartSyntax.crlf) {
                try await self.buffer.skip(2)
                return [:]
            }
            var section: ByteBuffer
            do {
                section = try await self.buffer.readUntil(MultipartSyntax.emptyLine, limit: limits.maxHeadLength)
            } catch is LineTooLong {
                throw MultipartError.tooLarge("Part headers longer than \(limits.maxHeadLength) bytes")
            }
            var reader = FieldSectionReader(configuration: limits)
            let fields: HTTPFields?
            do {
                fields = try reader.read(&section)
            } catch let error as LineTooLong {
                throw MultipartError.tooLarge("Part headers: \(error.message)")
            } catch let error as any HTTPProcessingError where error.status == .requestHeaderFieldsTooLarge {
                throw MultipartError.tooLarge("Part headers: \(error.message)")
            } catch let error as any HTTPProcessingError {
                throw MultipartError("Part headers: \(error.message)")
            }
            guard let fields else { throw MultipartError("Malformed part headers") }
            return fields
        }
    }

    /// Runs `body`, turning the body's end into the error a truncated multipart body is.
    private func mapEOF<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch is EOFStream {
            throw MultipartError("Missing closing boundary: the multipart body ended early")
        }
    }
}

/// Byte strings of the multipart syntax, allocated once.
enum MultipartSyntax {
    static let crlf: [UInt8] = [0x0D, 0x0A]
    static let emptyLine: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
    static let dashes: [UInt8] = [0x2D, 0x2D]
    static let lineFeed: [UInt8] = [0x0A]
}
