import HTTPTypes
import NIOCore
import NIOFileSystem

/// A file uploaded in a form, as aiohttp's `FileField`: small files stay in memory, larger ones
/// are spooled to a temporary file that is removed with the form.
public struct FileField: Sendable, Equatable {
    /// Where the bytes are.
    public enum Storage: Sendable, Equatable {
        /// In memory.
        case memory(ByteBuffer)
        /// In a temporary file.
        case temporaryFile(path: String)
    }

    /// The form field name.
    public let name: String
    /// The file name the client sent.
    public let filename: String
    /// The part's `Content-Type`, `application/octet-stream` when it had none.
    public let contentType: String
    /// The part's header fields.
    public let headers: HTTPFields
    /// The size in bytes, after undoing any transfer or content encoding.
    public let size: Int
    /// Where the bytes are.
    public let storage: Storage

    /// Calls `body` with the bytes in order, in pieces of at most 64 KiB when they are read
    /// from the temporary file.
    public func forEachChunk(_ body: (ByteBuffer) async throws -> Void) async throws {
        switch self.storage {
        case .memory(let buffer):
            try await body(buffer)
        case .temporaryFile(let path):
            try await ScopedFile.reading(path) { handle in
                for try await chunk in handle.readChunks(chunkLength: .kibibytes(64)) {
                    try await body(chunk)
                }
            }
        }
    }

    /// The whole file in memory, at most `limit` bytes.
    ///
    /// - Throws: ``MultipartError`` (413) when the file is larger.
    public func read(upTo limit: Int) async throws -> ByteBuffer {
        guard self.size <= limit else { throw MultipartError.tooLarge("File \(self.filename) is larger than \(limit) bytes") }
        var whole = ByteBuffer()
        try await self.forEachChunk { chunk in
            var chunk = chunk
            whole.writeBuffer(&chunk)
        }
        return whole
    }
}
