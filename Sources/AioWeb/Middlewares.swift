import AioServer
import AioStreams
import AioWire
import HTTPTypes
import NIOCore

/// The middlewares aiohttp ships, for Swift.
public enum Middlewares {
    /// Redirects a request that found no route to the path that has one, as aiohttp's
    /// `normalize_path_middleware`: with repeated slashes merged, with a slash appended or
    /// removed. The query is kept; the redirect is permanent (308) and keeps the method.
    public static func normalizePath(
        appendSlash: Bool = true,
        removeSlash: Bool = false,
        mergeSlashes: Bool = true
    ) -> Middleware {
        precondition(!(appendSlash && removeSlash), "appendSlash and removeSlash exclude each other")
        return .synchronous(request: { request in
            guard !request.isRouted else { return nil }
            let path = request.rawPath
            var candidates: [String] = []
            let merged = mergeSlashes ? Self.mergingSlashes(path) : path
            if merged != path { candidates.append(merged) }
            for base in Set([path, merged]).sorted() {
                if appendSlash, !base.hasSuffix("/") { candidates.append(base + "/") }
                if removeSlash, base.hasSuffix("/"), base != "/" { candidates.append(String(base.dropLast())) }
            }
            for candidate in candidates where request.app.resolves(request.method, path: candidate) {
                let query = request.queryString
                throw HTTPPermanentRedirect(location: query.isEmpty ? candidate : candidate + "?" + query)
            }
            return nil
        })
    }

    private static func mergingSlashes(_ path: String) -> String {
        var merged = ""
        for character in path where !(character == "/" && merged.hasSuffix("/")) {
            merged.append(character)
        }
        return merged
    }

    /// Compresses responses with gzip or deflate when the client accepts it (`Accept-Encoding`
    /// with q-values), streamed bodies as they are written. Skipped: responses under
    /// `minimumLength` bytes when their length is known, types already compressed (images,
    /// archives, audio, video), responses with a `Content-Encoding` or `Cache-Control:
    /// no-transform`, and 1xx, 204, 206 and 304 responses. Adds `Vary: Accept-Encoding` and weakens
    /// a strong `ETag`.
    public static func compression(minimumLength: Int = 1024, level: Int = 6) -> Middleware {
        .synchronous(response: { request, response in
            guard let coding = ContentCoding.preferred(request.headers[.acceptEncoding] ?? "") else { return }
            let status = response.status.code
            let type = response.contentType.map { String($0.prefix { $0 != ";" }).lowercased() }
            guard status >= 200, status != 204, status != 206, status != 304,
                response.headers[.contentEncoding] == nil,
                !(response.headers[.cacheControl]?.lowercased().contains("no-transform") ?? false),
                let type, !MimeTypes.compressed.contains(type),
                (response.contentLength ?? .max) >= minimumLength
            else { return }
            switch response.body {
            case .empty, .switchProtocols:
                return
            case .buffer(let buffer):
                response.body = .buffer(try StreamCompressor.compress(buffer, format: coding.format, level: level))
            case .stream(_, let produce):
                response.body = .stream(length: nil) { writer in
                    writer.transform = try ZlibTransform(coding.format, level: level)
                    try await produce(&writer)
                }
            }
            response.headers[.contentEncoding] = coding.rawValue
            response.headers[.contentLength] = nil
            response.headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
            if let etag = response.headers[.eTag], etag.hasPrefix("\"") {
                response.headers[.eTag] = "W/" + etag
            }
        })
    }

    /// Replaces error responses with pages of your own, as aiohttp's error-middleware recipe:
    /// for a status in `pages`, whether the handler threw it (an ``HTTPException``) or returned
    /// it, the page's handler answers instead, with the error in hand.
    public static func errorPages(
        _ pages: [Int: @Sendable (Request, any HTTPProcessingError) async throws -> Response]
    ) -> Middleware {
        Middleware { request, next in
            do {
                let response = try await next(request)
                guard let page = pages[response.status.code] else { return response }
                var replaced = try await page(request, ReturnedError(status: response.status))
                replaced.status = response.status
                return replaced
            } catch let error as any HTTPProcessingError {
                guard let page = pages[error.code] else { throw error }
                var replaced = try await page(request, error)
                replaced.status = error.status
                for field in error.headers where replaced.headers[field.name] == nil {
                    replaced.headers.append(field)
                }
                return replaced
            }
        }
    }
}

/// An error status a handler returned rather than threw, as seen by an error page.
struct ReturnedError: HTTPProcessingError {
    let status: HTTPResponse.Status
    var message: String { "\(self.status.code): \(self.status.reasonPhrase)" }
    var offset: Int? { nil }
}

/// A content coding the compression middleware can produce.
enum ContentCoding: String, Sendable {
    case gzip
    case deflate

    /// The best coding `acceptEncoding` allows: highest q first, gzip before deflate on ties;
    /// nil when neither is acceptable.
    static func preferred(_ acceptEncoding: String) -> ContentCoding? {
        var weights: [String: Double] = [:]
        for element in acceptEncoding.split(separator: ",") {
            let parts = element.split(separator: ";")
            let name = parts[0].trimmingSpaces.lowercased()
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" {
                    weight = Double(pair[1].trimmingSpaces) ?? 0
                }
            }
            if name.isEmpty { continue }
            weights[name] = weight
        }
        func weight(_ coding: ContentCoding) -> Double {
            weights[coding.rawValue] ?? (coding == .gzip ? weights["x-gzip"] : nil) ?? weights["*"] ?? 0
        }
        let best = [ContentCoding.gzip, .deflate].max { weight($0) < weight($1) }!
        return weight(best) > 0 ? best : nil
    }

    /// gzip, or deflate in its zlib wrapper (RFC 9110 §8.4.1.2).
    var format: CompressionFormat {
        switch self {
        case .gzip: .gzip
        case .deflate: .zlib
        }
    }
}
