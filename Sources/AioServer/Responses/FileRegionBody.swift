#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// A region of a file to send as (part of) a response body: with `sendfile` on plain
/// connections, read in pieces under TLS.
public struct FileRegionBody: Sendable, Hashable {
    /// The file.
    public var path: String
    /// Where the region starts.
    public var offset: Int
    /// How many bytes it holds.
    public var count: Int

    /// The region of `count` bytes at `offset` in the file at `path`.
    public init(path: String, offset: Int = 0, count: Int) {
        self.path = path
        self.offset = offset
        self.count = count
    }
}

/// The file could not be opened or read while sending it.
public struct FileBodyError: Error, Hashable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// The `errno` value.
    public let code: Int32

    /// The error of `path` that failed with `code`.
    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    public var description: String { "Cannot send \(self.path): \(String(cString: strerror(self.code)))" }
}

extension ResponseBodyWriter {
    /// Writes `file` as the next piece of the body, without copying it into memory where the
    /// connection allows (`sendfile`); under TLS, or through a ``BodyTransform``, it is read in
    /// 64 KiB pieces.
    public mutating func write(file: FileRegionBody) async throws {
        guard file.count > 0 else { return }
        let descriptor = try await NIOThreadPool.singleton.runIfActive {
            let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw FileBodyError(path: file.path, code: errno) }
            return descriptor
        }
        switch self.target {
        case .connection(let link) where !link.isSecure && self.transform == nil:
            let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
            defer { try? handle.close() }
            let region = FileRegion(fileHandle: handle, readerIndex: file.offset, endIndex: file.offset + file.count)
            let written = try await link.run { handler, state in try handler.writeBody(region, state: state) }
            try await written.get()
        default:
            defer { close(descriptor) }
            var offset = file.offset
            let end = file.offset + file.count
            while offset < end {
                let length = min(65536, end - offset)
                let start = offset
                let piece = try await NIOThreadPool.singleton.runIfActive {
                    var buffer = ByteBufferAllocator().buffer(capacity: length)
                    var read = 0
                    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
                        read = pread(descriptor, bytes.baseAddress, length, off_t(start))
                        return max(read, 0)
                    }
                    guard read > 0 else { throw FileBodyError(path: file.path, code: read == 0 ? EIO : errno) }
                    return buffer
                }
                try await self.write(piece)
                offset += piece.readableBytes
            }
        }
    }
}
