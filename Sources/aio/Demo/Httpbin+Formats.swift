import AioHTTP
import Foundation
import HTTPTypes
import NIOCore

extension Httpbin {
    /// `/gzip`, `/deflate`, `/html`, `/json`, `/xml`, `/encoding/utf8`, `/robots.txt`, `/deny`,
    /// `/image…`, `/forms/post`.
    static func registerFormats(_ router: Router) {
        for (path, key, format, coding) in [
            ("/gzip", "gzipped", CompressionFormat.gzip, "gzip"), ("/deflate", "deflated", .zlib, "deflate"),
        ] {
            router.get(path) { request in
                let info = try await HttpbinRequest.read(request)
                let body = ByteBuffer(string: info.dictionary([.origin, .headers, .method], extra: [key: .bool(true)]).text)
                return Response(
                    headers: [.contentType: "application/json", .contentEncoding: coding],
                    body: .buffer(try StreamCompressor.compress(body, format: format))
                )
            }
        }
        router.get("/html") { _ in .html(Assets.mobyDick) }
        router.get("/json") { _ in .httpbin(Assets.slideshow) }
        router.get("/xml") { _ in .text(Assets.slideshowXML, contentType: "application/xml") }
        router.get("/encoding/utf8") { _ in .html(Assets.utf8Demo) }
        router.get("/robots.txt") { _ in .text("User-agent: *\nDisallow: /deny\n") }
        router.get("/deny") { _ in .text(Assets.deny) }
        router.get("/forms/post") { _ in .html(Assets.formsPost) }
        router.get("/image") { request in
            // httpbin's order of preference.
            let accept = request.headers[.accept]?.lowercased() ?? ""
            for (type, kind) in [("image/webp", "webp"), ("image/svg+xml", "svg"), ("image/jpeg", "jpeg"), ("image/png", "png")]
            where accept.contains(type) {
                return Self.image(kind)
            }
            if accept.contains("image/*") || accept.contains("*/*") || accept.isEmpty { return Self.image("png") }
            return Self.statusResponse(406)
        }
        router.get("/image/{kind}") { request in Self.image(request.matchInfo["kind"]!) }
    }

    static func image(_ kind: String) -> Response {
        switch kind {
        case "png": return .bytes(ByteBuffer(bytes: Assets.png), contentType: "image/png")
        case "jpeg": return .bytes(ByteBuffer(bytes: Assets.jpeg), contentType: "image/jpeg")
        case "webp": return .bytes(ByteBuffer(bytes: Assets.webp), contentType: "image/webp")
        case "svg": return .text(Assets.svg, contentType: "image/svg+xml")
        default: return Self.statusResponse(406)
        }
    }

    /// `/cache`, `/cache/{n}`, `/etag/{etag}`, `/response-headers`.
    static func registerCaching(_ router: Router) {
        router.get("/cache") { request in
            if request.headers[.ifModifiedSince] != nil || request.headers[.ifNoneMatch] != nil {
                return Response(status: .notModified)
            }
            let info = try await HttpbinRequest.read(request)
            return .httpbin(info.dictionary([.url, .args, .headers, .origin]), headers: [
                .lastModified: HTTPDate.format(Int(Date().timeIntervalSince1970)),
                .eTag: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
            ])
        }
        router.get("/cache/{n:[0-9]+}") { request in
            let info = try await HttpbinRequest.read(request)
            return .httpbin(info.dictionary([.url, .args, .headers, .origin]), headers: [
                .cacheControl: "public, max-age=\(request.matchInfo["n"]!)"
            ])
        }
        router.get("/etag/{etag}") { request in
            let etag = request.matchInfo["etag"]!
            let quoted = "\"\(etag)\""
            if let condition = request.headers[.ifNoneMatch] {
                let tags = condition.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if tags.contains(quoted) || tags.contains("*") || tags.contains("W/\(quoted)") {
                    return Response(status: .notModified, headers: [.eTag: quoted])
                }
            } else if let condition = request.headers[.ifMatch] {
                let tags = condition.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if !tags.contains(quoted) && !tags.contains("*") { throw HTTPPreconditionFailed() }
            }
            let info = try await HttpbinRequest.read(request)
            return .httpbin(info.dictionary([.url, .args, .headers, .origin]), headers: [.eTag: quoted])
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.route(method, "/response-headers") { request in
                var fields = HTTPFields()
                for (name, value) in request.query {
                    if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
                }
                var members: [String: JSONValue] = ["Content-Type": .string("application/json")]
                for (name, value) in request.query.pairs { members[name] = .string(value) }
                var response = Response.httpbin(.object(members))
                for field in fields { response.headers.append(field) }
                return response
            }
        }
    }
}
