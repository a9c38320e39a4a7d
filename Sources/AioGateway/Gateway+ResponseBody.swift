#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AioServer
import HTTPTypes
import NIOCore
import NIOPosix

extension Gateway {
    /// A response body: bytes in memory, a stream written as it is produced, or a region of a
    /// file (sent with `sendfile` on plain connections).
    public struct ResponseBody: Sendable {
        /// Writes a streamed body's pieces.
        public struct Writer: ~Copyable {
            fileprivate var body: ResponseBodyWriter

            /// Writes `buffer` as the next piece, waiting while the client is slow to read.
            public mutating func write(_ buffer: ByteBuffer) async throws {
                try await self.body.write(buffer)
            }
        }

        /// Produces a streamed body through the writer; returns the trailers, if any.
        public typealias Producer = @Sendable (inout Writer) async throws -> HTTPFields?

        private enum Storage: Sendable {
            case bytes(ByteBuffer)
            case stream(length: Int?, Producer)
            case file(path: String, offset: Int, count: Int?)
        }

        private let storage: Storage

        /// No body.
        public static var empty: ResponseBody { ResponseBody(storage: .bytes(ByteBuffer())) }

        /// `buffer` as the whole body, sent with `Content-Length`.
        public static func bytes(_ buffer: ByteBuffer) -> ResponseBody {
            ResponseBody(storage: .bytes(buffer))
        }

        /// A body `produce` writes as it goes: sent with `Content-Length` when `length` is
        /// given (the server checks it), chunked otherwise, and with `produce`'s trailers then.
        public static func stream(length: Int? = nil, _ produce: @escaping Producer) -> ResponseBody {
            ResponseBody(storage: .stream(length: length, produce))
        }

        /// The pieces of `sequence`, in order.
        public static func stream<Pieces: AsyncSequence & Sendable>(_ sequence: Pieces, length: Int? = nil) -> ResponseBody
        where Pieces.Element == ByteBuffer {
            .stream(length: length) { writer in
                for try await piece in sequence { try await writer.write(piece) }
                return nil
            }
        }

        /// `count` bytes of the file at `path` from `offset` (to its end when nil), sent
        /// without copying them through memory where the connection allows.
        public static func file(path: String, offset: Int = 0, count: Int? = nil) -> ResponseBody {
            ResponseBody(storage: .file(path: path, offset: offset, count: count))
        }

        /// Writes `response` with this body through `writer`.
        func write(_ response: HTTPResponse, to writer: consuming ResponseWriter) async throws {
            switch self.storage {
            case .bytes(let buffer):
                try await writer.write(response, body: buffer)
            case .stream(let length, let produce):
                var body = Writer(body: try await writer.writeHead(response, contentLength: length))
                let trailers = try await produce(&body)
                try await body.body.finish(trailers: trailers)
            case .file(let path, let offset, let count):
                let region = try await Self.region(path: path, offset: offset, count: count)
                var body = try await writer.writeHead(response, contentLength: region.count)
                try await body.write(file: region)
                try await body.finish()
            }
        }

        /// The region to send: `count` bytes, or the rest of the file after `offset`. Checked
        /// before the head goes out, so that a file that cannot be sent is answered 500 rather than
        /// cut short: it must open for reading, be a regular file, and hold the region.
        private static func region(path: String, offset: Int, count: Int?) async throws -> FileRegionBody {
            let size = try await NIOThreadPool.singleton.runIfActive {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw FileBodyError(path: path, code: errno) }
                defer { close(descriptor) }
                var info = stat()
                guard fstat(descriptor, &info) == 0 else { throw FileBodyError(path: path, code: errno) }
                guard info.st_mode & S_IFMT == S_IFREG else { throw FileBodyError(path: path, code: EISDIR) }
                return Int(info.st_size)
            }
            guard offset >= 0, offset <= size else { throw FileBodyError(path: path, code: EINVAL) }
            if let count {
                guard count >= 0, count <= size - offset else { throw FileBodyError(path: path, code: EINVAL) }
                return FileRegionBody(path: path, offset: offset, count: count)
            }
            return FileRegionBody(path: path, offset: offset, count: size - offset)
        }
    }
}
