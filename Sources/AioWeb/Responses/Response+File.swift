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
