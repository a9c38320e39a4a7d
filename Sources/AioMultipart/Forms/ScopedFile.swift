import _NIOFileSystem

/// Scoped file handles whose bodies run in the caller's isolation.
///
/// NIOFileSystem's `withFileHandle` runs its closure `@concurrent`, which a part's decoder and
/// sink, owned by the task reading the body, cannot be sent to. The file is closed however the
/// body ends, cancellation included, as `withFileHandle` does.
enum ScopedFile {
    /// Runs `body` with `path` open for reading.
    static func reading<Result>(_ path: String, _ body: (ReadFileHandle) async throws -> Result) async throws -> Result {
        let handle = try await FileSystem.shared.openFile(forReadingAt: FilePath(path))
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(handle))
        } catch {
            result = .failure(error)
        }
        // A task of its own, so a cancelled reader still closes its file.
        try await Task { try await handle.close() }.value
        return try result.get()
    }

    /// Runs `body` with a new file at `path` open for writing, readable by this user alone (an
    /// upload is nobody else's business on a shared machine); the file's contents are kept only
    /// when `body` succeeds.
    static func writing<Result>(_ path: String, _ body: (WriteFileHandle) async throws -> Result) async throws -> Result {
        let handle = try await FileSystem.shared.openFile(
            forWritingAt: FilePath(path),
            options: .newFile(replaceExisting: false, permissions: [.ownerRead, .ownerWrite])
        )
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(handle))
        } catch {
            result = .failure(error)
        }
        let succeeded = if case .success = result { true } else { false }
        try await Task { try await handle.close(makeChangesVisible: succeeded) }.value
        return try result.get()
    }
}
