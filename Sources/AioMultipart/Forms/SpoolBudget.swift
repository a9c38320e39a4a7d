#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The bytes uploads may hold on disk at once, shared by every form a server reads: past it, or
/// when the disk's free space would fall under a floor, a new upload is refused with 503 rather
/// than filling the disk. Bytes count from when they are written to a temporary file until the
/// file is removed.
///
/// ```swift
/// let uploads = SpoolBudget(limit: 8 << 30)   // 8 GiB of uploads at once, server-wide
/// let app = Application(clientMaxSize: 1 << 30, multipart: .init(spoolBudget: uploads))
/// ```
public final class SpoolBudget: Sendable {
    /// The most bytes of spooled uploads at once.
    public let limit: Int
    /// The free space a temporary directory keeps: spooling stops short of it.
    public let minimumFreeSpace: Int
    private let used = Mutex(0)

    /// The budget ``MultipartConfiguration`` uses unless given another: 1 GiB at once, 256 MiB
    /// of the disk left free.
    public static let shared = SpoolBudget(limit: 1 << 30)

    /// A budget of `limit` bytes at once that leaves `minimumFreeSpace` bytes free on the disk.
    public init(limit: Int, minimumFreeSpace: Int = 256 << 20) {
        self.limit = limit
        self.minimumFreeSpace = minimumFreeSpace
    }

    /// The bytes spooled now.
    public var inUse: Int { self.used.withLock { $0 } }

    /// Counts `count` more bytes about to be written to a file in `directory` for a form that
    /// holds `holding` bytes of the budget already.
    ///
    /// - Throws: ``MultipartError``: 413 when the form alone would exceed the limit (it never
    ///   fits), 503 past the limit or the free-space floor (it may, later).
    func reserve(_ count: Int, in directory: String, holding: Int) throws {
        guard holding + count <= self.limit else {
            throw MultipartError.tooLarge("The upload is larger than the \(self.limit) bytes uploads may spool")
        }
        try self.used.withLock { used in
            guard used + count <= self.limit else {
                throw MultipartError("Too many uploads in progress; try again later", status: .serviceUnavailable)
            }
            used += count
        }
        if let free = Self.freeSpace(directory), free - count < self.minimumFreeSpace {
            self.release(count)
            throw MultipartError("Not enough disk space for the upload; try again later", status: .serviceUnavailable)
        }
    }

    /// Gives back `count` bytes whose file is gone.
    func release(_ count: Int) {
        self.used.withLock { $0 -= count }
    }

    /// The bytes free to unprivileged users on the file system of `directory`.
    private static func freeSpace(_ directory: String) -> Int? {
        var stats = statvfs()
        guard statvfs(directory, &stats) == 0 else { return nil }
        return Int(stats.f_bavail) &* Int(stats.f_frsize)
    }
}
