#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AioServer
import HTTPTypes
import NIOCore
import NIOPosix

extension Response {
    /// A file, as aiohttp's `FileResponse`: `Content-Type` from the extension, `ETag` and
    /// `Last-Modified`, conditional requests (304, 412), single and multiple `Range`s (206, with
    /// `multipart/byteranges` for several, 416 when none can be served) and `If-Range`; the bytes
    /// go out with `sendfile` where the connection allows.
    public static func file(_ path: String, for request: Request, contentType: String? = nil) async throws -> Response {
        let info = try await FileInfo.of(path)
        guard info.isRegular else { throw HTTPNotFound() }
        let etag = "\"\(String(info.modifiedNanoseconds, radix: 16))-\(String(info.size, radix: 16))\""
        let lastModified = HTTPDate.format(info.modifiedSeconds)
        var headers: HTTPFields = [
            .contentType: contentType ?? MimeTypes.contentType(for: path),
            .lastModified: lastModified,
            .eTag: etag,
            .acceptRanges: "bytes",
        ]
        let fields = request.headers
        if let condition = fields[.ifMatch] {
            if !ETagList(condition).matches(etag, weak: false) { throw HTTPPreconditionFailed() }
        } else if let since = fields[.ifUnmodifiedSince].flatMap(HTTPDate.parse), info.modifiedSeconds > since {
            throw HTTPPreconditionFailed()
        }
        if let condition = fields[.ifNoneMatch] {
            if ETagList(condition).matches(etag, weak: true) {
                return Response(status: .notModified, headers: headers)
            }
        } else if let since = fields[.ifModifiedSince].flatMap(HTTPDate.parse), info.modifiedSeconds <= since {
            return Response(status: .notModified, headers: headers)
        }

        let size = info.size
        var ranges: [ClosedRange<Int>]?
        if request.method == .get, let header = fields[.range], Self.ifRangeHolds(fields[.ifRange], etag: etag, lastModified: lastModified) {
            switch ByteRanges.parse(header, size: size) {
            case .none: ranges = nil
            case .unsatisfiable:
                headers = [.contentRange: "bytes */\(size)"]
                return Response(HTTPRequestRangeNotSatisfiable(headers: headers))
            case .ranges(let parsed): ranges = parsed
            }
        }
        guard let ranges else {
            return Response(status: .ok, headers: headers, body: .stream(length: size) { writer in
                try await writer.write(file: FileRegionBody(path: path, count: size))
            })
        }
        if ranges.count == 1 {
            let range = ranges[0]
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            return Response(status: .partialContent, headers: headers, body: .stream(length: range.count) { writer in
                try await writer.write(file: FileRegionBody(path: path, offset: range.lowerBound, count: range.count))
            })
        }
        let boundary = "aio" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let type = headers[.contentType] ?? "application/octet-stream"
        let partHeads = ranges.map {
            "--\(boundary)\r\nContent-Type: \(type)\r\nContent-Range: bytes \($0.lowerBound)-\($0.upperBound)/\(size)\r\n\r\n"
        }
        let closing = "--\(boundary)--\r\n"
        let length = zip(partHeads, ranges).reduce(closing.utf8.count) { $0 + $1.0.utf8.count + $1.1.count + 2 }
        headers[.contentType] = "multipart/byteranges; boundary=\(boundary)"
        return Response(status: .partialContent, headers: headers, body: .stream(length: length) { writer in
            for (head, range) in zip(partHeads, ranges) {
                try await writer.write(ByteBuffer(string: head))
                try await writer.write(file: FileRegionBody(path: path, offset: range.lowerBound, count: range.count))
                try await writer.write(ByteBuffer(string: "\r\n"))
            }
            try await writer.write(ByteBuffer(string: closing))
        })
    }

    /// `If-Range` lets the range through when it names the current strong ETag or the exact
    /// `Last-Modified` date (RFC 9110 §13.1.5); without it, ranges always apply.
    private static func ifRangeHolds(_ condition: String?, etag: String, lastModified: String) -> Bool {
        guard let condition else { return true }
        if condition.hasPrefix("\"") { return condition == etag }
        return condition == lastModified
    }
}

/// What `stat` says of a file.
struct FileInfo: Sendable {
    var isRegular: Bool
    var isDirectory: Bool
    var size: Int
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// Stats `path` on the blocking-I/O thread pool: 404 when missing, 403 when not allowed.
    static func of(_ path: String) async throws -> FileInfo {
        try await NIOThreadPool.singleton.runIfActive {
            var info = stat()
            guard fstatat(AT_FDCWD, path, &info, 0) == 0 else {
                if errno == EACCES { throw HTTPForbidden() }
                throw HTTPNotFound()
            }
            let kind = info.st_mode & S_IFMT
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

/// An `If-Match` or `If-None-Match` value: `*` or a list of entity tags.
struct ETagList {
    let any: Bool
    let tags: [(weak: Bool, opaque: String)]

    init(_ value: String) {
        self.any = value.trimmingSpacesAndTabs == "*"
        self.tags = value.split(separator: ",").compactMap { element in
            var tag = Substring(element.trimmingSpaces)
            let weak = tag.hasPrefix("W/")
            if weak { tag = tag.dropFirst(2) }
            guard tag.count >= 2, tag.first == "\"", tag.last == "\"" else { return nil }
            return (weak, String(tag))
        }
    }

    /// Whether `etag` (a strong tag) matches, by weak comparison or by strong comparison.
    func matches(_ etag: String, weak: Bool) -> Bool {
        if self.any { return true }
        return self.tags.contains { $0.opaque == etag && (weak || !$0.weak) }
    }
}

/// A `Range: bytes=…` value against a representation of `size` bytes (RFC 9110 §14.1.2).
enum ByteRanges: Equatable {
    /// Not a byte-range set we understand: serve the whole representation.
    case none
    /// Well-formed, but no range overlaps the representation: 416.
    case unsatisfiable
    case ranges([ClosedRange<Int>])

    /// More ranges than this are ignored, as a defence against abuse.
    static let maximumCount = 100

    static func parse(_ header: String, size: Int) -> ByteRanges {
        guard header.hasPrefix("bytes=") else { return .none }
        let specs = header.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count <= Self.maximumCount else { return .none }
        var ranges: [ClosedRange<Int>] = []
        for spec in specs {
            let parts = spec.trimmingSpaces.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return .none }
            let first = parts[0].isEmpty ? nil : Int(parts[0])
            let last = parts[1].isEmpty ? nil : Int(parts[1])
            guard parts[0].allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber) else { return .none }
            switch (first, last) {
            case (let start?, let end?):
                guard start <= end else { return .none }
                if start < size { ranges.append(start...min(end, size - 1)) }
            case (let start?, nil):
                if start < size { ranges.append(start...(size - 1)) }
            case (nil, let suffix?):
                if suffix > 0, size > 0 { ranges.append(max(0, size - suffix)...(size - 1)) }
            case (nil, nil):
                return .none
            }
        }
        return ranges.isEmpty ? .unsatisfiable : .ranges(ranges)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpacesAndTabs: String { Substring(self).trimmingSpaces }
}
