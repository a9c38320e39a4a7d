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
import Synchronization

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
    /// Claimed when the files are removed, shared by copies: the budget is given back once.
    private let removal = Once()

    init(fields: MultiDict<FormValue>, temporaryFiles: [String], spooled: Int, budget: SpoolBudget) {
        self.fields = fields
        self.temporaryFiles = temporaryFiles
        self.spooled = spooled
        self.budget = budget
    }

    /// Removes the temporary files (even from a cancelled task); the file fields stored in them
    /// cannot be read afterwards. Later calls, on this form or a copy, do nothing.
    public func removeTemporaryFiles() async {
        guard self.removal.claim() else { return }
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

    /// The prefix of spooled uploads' names, followed by the host's name, the spooling process's
    /// id and a random part: `aio-upload-<host>-<pid>-<random>`.
    static let filePrefix = "aio-upload-"

    /// The host's name as spooled files carry it (no `-`, which separates the parts): processes
    /// of other hosts or containers sharing the directory have their own, and their files are
    /// never taken for a dead process's.
    static let hostTag: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "host" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let tag = host.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? String($0) : "_" }.joined()
        return tag.isEmpty ? "host" : tag
    }()

    /// A new spool file's name.
    static func newFileName() -> String {
        "\(Self.filePrefix)\(Self.hostTag)-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// Removes the uploads spooled into `directory` (the system's temporary directory when nil)
    /// by processes of this host that are gone, killed before they could clean up; returns how
    /// many. An application does this when it starts.
    @discardableResult
    public static func removeLeftovers(in directory: String?) async throws -> Int {
        let directory = try await Self.directory(directory)
        var removed = 0
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(Self.filePrefix + Self.hostTag + "-") {
            let parts = name.dropFirst(Self.filePrefix.count + Self.hostTag.count + 1).split(separator: "-")
            // A process that is gone (or whose id is now another's): kill(0) fails with ESRCH.
            guard parts.count == 2, let pid = pid_t(parts[0]), kill(pid, 0) != 0, errno == ESRCH else {
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

/// Something done once, however many copies of its owner ask.
private final class Once: Sendable {
    private let done = Mutex(false)

    /// True the first time only.
    func claim() -> Bool {
        self.done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
