#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// What `stat` says of a file.
struct FileInfo: Sendable {
    var isRegular: Bool
    var isDirectory: Bool
    var size: Int
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// Stats `path` on the blocking-I/O thread pool: 404 when missing, 403 when not allowed
    /// (for a regular file, when the process may not read it: said now, not after a 200 head).
    static func of(_ path: String) async throws -> FileInfo {
        try await NIOThreadPool.singleton.runIfActive {
            var info = stat()
            guard fstatat(AT_FDCWD, path, &info, 0) == 0 else {
                if errno == EACCES { throw HTTPForbidden() }
                throw HTTPNotFound()
            }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFREG, faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0, errno == EACCES {
                throw HTTPForbidden()
            }
            return FileInfo(
                isRegular: kind == S_IFREG,
                isDirectory: kind == S_IFDIR,
                size: Int(info.st_size),
                modifiedSeconds: Int(info.st_mtim.tv_sec),
                modifiedNanoseconds: Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec)
            )
        }
    }
}
