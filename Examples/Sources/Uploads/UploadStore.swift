import AioHTTP
import Foundation
import _NIOFileSystem

/// Where uploads are written: one new file per part, never replacing another.
struct UploadStore: Sendable {
    let directory: FilePath
    let maxFileSize: Int

    func createDirectory() async throws {
        do {
            try await FileSystem.shared.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch let error as FileSystemError where error.code == .fileAlreadyExists {
            // Kept from an earlier run.
        }
    }

    func path(of stored: String) -> FilePath {
        self.directory.appending(stored)
    }

    /// Streams `part` to a new file, chunk by chunk as it arrives. Past `maxFileSize` the
    /// partial file is removed and the request fails with 413; so it is when the client goes
    /// away mid-file.
    func save(_ part: BodyPartReader) async throws -> StoredFile {
        let filename = part.filename ?? ""
        let stored = "\(UUID().uuidString.prefix(8).lowercased())-\(Self.safeName(filename))"
        let path = self.path(of: stored)
        do {
            let size = try await FileSystem.shared.withFileHandle(forWritingAt: path, options: .newFile(replaceExisting: false)) { handle in
                var writer = handle.bufferedWriter()
                var size = 0
                for try await chunk in part {
                    size += chunk.readableBytes
                    guard size <= self.maxFileSize else {
                        throw HTTPRequestEntityTooLarge(text: "\(filename) is larger than \(self.maxFileSize) bytes")
                    }
                    try await writer.write(contentsOf: chunk)
                }
                try await writer.flush()
                return size
            }
            return StoredFile(field: part.name, filename: filename, stored: stored, size: size)
        } catch {
            await self.remove(stored)
            throw error
        }
    }

    func remove(_ stored: String) async {
        _ = try? await FileSystem.shared.removeItem(at: self.path(of: stored), recursively: false)
    }

    /// The last path component of a client's file name, with anything but letters, digits,
    /// `.`, `-` and `_` replaced, no leading dot and at most 100 characters: a name that cannot
    /// leave the directory or hide in it.
    static func safeName(_ filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let safe = String(last.unicodeScalars.map { scalar -> Character in
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
            return allowed ? Character(scalar) : "_"
        })
        let trimmed = String(safe.drop(while: { $0 == "." }).suffix(100))
        return trimmed.isEmpty ? "upload" : trimmed
    }
}
