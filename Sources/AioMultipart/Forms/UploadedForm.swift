#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOFileSystem

/// A form read whole from a `multipart/form-data` body: its fields in order and the temporary
/// files that hold its larger uploads, to remove once the form is no longer needed.
public struct UploadedForm: Sendable {
    /// The fields, in the order they came; a name may repeat.
    public let fields: MultiDict<FormValue>
    /// The temporary files behind the spooled ``FileField``s.
    public let temporaryFiles: [String]
    /// The bytes of the temporary files, counted in `budget` until they are removed.
    let spooled: Int
    let budget: SpoolBudget

    /// Removes the temporary files (even from a cancelled task); the file fields stored in them
    /// cannot be read afterwards.
    public func removeTemporaryFiles() async {
        await Self.remove(self.temporaryFiles)
        self.budget.release(self.spooled)
    }

    /// Removes `paths` in a task of its own: a cancelled request (a server shutting down) still
    /// cleans up after itself.
    static func remove(_ paths: [String]) async {
        guard !paths.isEmpty else { return }
        await Task {
            for path in paths {
                _ = try? await FileSystem.shared.removeItem(at: FilePath(path))
            }
        }.value
    }

    /// The prefix of spooled uploads' names, followed by the spooling process's id.
    static let filePrefix = "aio-upload-"

    /// Removes the uploads spooled into `directory` (the system's temporary directory when nil)
    /// by processes that are gone, killed before they could clean up; returns how many. An
    /// application does this when it starts.
    @discardableResult
    public static func removeLeftovers(in directory: String?) async throws -> Int {
        let directory = try await Self.directory(directory)
        var removed = 0
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(Self.filePrefix) {
            let rest = name.dropFirst(Self.filePrefix.count)
            // A process that is gone, or whose id is now another's: kill(0) fails with ESRCH.
            guard let pid = rest.split(separator: "-").first.flatMap({ pid_t($0) }), kill(pid, 0) != 0, errno == ESRCH else {
                continue
            }
            if (try? await FileSystem.shared.removeItem(at: FilePath("\(directory)/\(name)"))) != nil { removed += 1 }
        }
        return removed
    }

    /// `directory`, or the system's temporary directory.
    static func directory(_ directory: String?) async throws -> String {
        if let directory { return directory }
        return try await FileSystem.shared.temporaryDirectory.description
    }
}
