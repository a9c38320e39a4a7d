import AioHTTP
import Foundation
import HTTPTypes
import NIOCore

/// The demo application of `aio serve`: httpbin's API (the service many HTTP client test suites
/// are written against) on AioWeb.
enum Httpbin {
    /// The largest form `/post` and friends read (files included): `aio serve` takes uploads of
    /// a few GiB, spooled to disk.
    static let maxFormSize = 4 << 30

    /// An application with every endpoint; `staticDirectory` is served at `/static/`.
    static func makeApplication(staticDirectory: String?) throws -> Application {
        let app = Application(
            middlewares: [Middlewares.normalizePath(appendSlash: false, mergeSlashes: true)],
            clientMaxSize: 64 << 20,
            // Room for a few large uploads at once, and still never the whole disk.
            multipart: MultipartConfiguration(spoolBudget: SpoolBudget(limit: 8 << 30))
        )
        let router = app.router
        router.get("/") { _ in .html(IndexPage.html) }
        DemoPage.register(router)
        self.registerInspection(router)
        self.registerMethods(router)
        self.registerStatus(router)
        self.registerRedirects(router)
        self.registerCookies(router)
        self.registerAuth(router)
        self.registerDynamic(router)
        self.registerFormats(router)
        self.registerUpload(router)
        self.registerCaching(router)
        try self.registerExtras(app)
        WebSocketDemo.register(router)
        if let staticDirectory {
            router.addStatic("/static", directory: staticDirectory, showIndex: true)
        }
        return app
    }

    /// `/headers`, `/ip`, `/user-agent`, `/uuid`.
    static func registerInspection(_ router: Router) {
        router.get("/headers") { request in
            .httpbin(.object(["headers": HttpbinRequest(request: request, body: ByteBuffer(), fields: [:], files: []).headers]))
        }
        router.get("/ip") { request in
            .httpbin(.object(["origin": .string(HttpbinRequest(request: request, body: ByteBuffer(), fields: [:], files: []).origin)]))
        }
        router.get("/user-agent") { request in
            .httpbin(.object(["user-agent": request.headers[.userAgent].map(JSONValue.string) ?? .null]))
        }
        router.get("/uuid") { _ in .httpbin(.object(["uuid": .string(UUID().uuidString.lowercased())])) }
    }

    /// `/get`, `/post`, `/put`, `/patch`, `/delete`, `/anything`, `/delay/{n}`.
    static func registerMethods(_ router: Router) {
        let bodyKeys: [HttpbinRequest.Key] = [.url, .args, .form, .data, .origin, .headers, .files, .json]
        router.get("/get") { request in
            .httpbin(try await HttpbinRequest.read(request).dictionary([.url, .args, .headers, .origin]))
        }
        for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
            router.route(method, "/\(method.rawValue.lowercased())") { request in
                .httpbin(try await HttpbinRequest.read(request).dictionary(bodyKeys))
            }
        }
        for path in ["/anything", "/anything/{anything:.*}"] {
            router.route(nil, path) { request in
                .httpbin(try await HttpbinRequest.read(request).dictionary(bodyKeys + [.method]))
            }
        }
        router.route(nil, "/delay/{delay}") { request in
            let seconds = try Self.seconds(request.matchInfo["delay"], default: 0, upTo: 10)
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return .httpbin(try await HttpbinRequest.read(request).dictionary([.url, .args, .form, .data, .origin, .headers, .files]))
        }
    }

    /// `/status/{codes}`: one of the codes (weighted as `200:0.7,500:0.3`), with httpbin's extras.
    static func registerStatus(_ router: Router) {
        router.route(nil, "/status/{codes}") { request in
            let codes = request.matchInfo["codes"]!
            // One code, the usual case, needs no draw.
            if let code = Int(codes) {
                guard (200...599).contains(code) else { throw HTTPBadRequest("Invalid status code") }
                return Self.statusResponse(code)
            }
            var choices: [(Int, Double)] = []
            for choice in codes.split(separator: ",") {
                let parts = choice.split(separator: ":")
                // A final status: a 1xx would leave the client waiting for the real answer.
                guard let code = parts.first.flatMap({ Int($0) }), (200...599).contains(code) else {
                    throw HTTPBadRequest("Invalid status code")
                }
                let weight = parts.count > 1 ? Double(parts[1]) ?? 1 : 1
                guard weight.isFinite, weight >= 0 else { throw HTTPBadRequest("Invalid weight") }
                choices.append((code, weight))
            }
            let total = choices.reduce(0) { $0 + $1.1 }
            guard total.isFinite, total > 0 else { throw HTTPBadRequest("The weights must add up to a finite number above 0") }
            var pick = Double.random(in: 0..<total)
            var code = choices.last?.0 ?? 200
            for (candidate, weight) in choices {
                if pick < weight { code = candidate; break }
                pick -= weight
            }
            return Self.statusResponse(code)
        }
    }

    private static let moreInfo = HTTPField.Name("X-More-Info")!

    static func statusResponse(_ code: Int) -> Response {
        var response = Response(status: HTTPResponse.Status(code: code))
        switch code {
        case 301, 302, 303, 305, 307:
            response.headers[.location] = "/redirect/1"
        case 401:
            response.headers[.wwwAuthenticate] = "Basic realm=\"Fake Realm\""
        case 402:
            response = .text("Fuck you, pay me!", status: response.status)
            response.headers[Self.moreInfo] = "http://vimeo.com/22053820"
        case 406:
            response = .httpbin(
                .object(["message": .string("Client did not request a supported media type."),
                         "accept": .array(["image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*"].map(JSONValue.string))]),
                status: response.status
            )
        case 407:
            response.headers[.proxyAuthenticate] = "Basic realm=\"Fake Realm\""
        case 418:
            response = .text(Assets.teapot, status: response.status)
            response.headers[Self.moreInfo] = "http://tools.ietf.org/html/rfc2324"
        default:
            break
        }
        return response
    }

    /// `/redirect/{n}`, `/relative-redirect/{n}`, `/absolute-redirect/{n}`, `/redirect-to`.
    static func registerRedirects(_ router: Router) {
        router.get("/redirect/{n:[0-9]+}") { request in
            let count = Int(request.matchInfo["n"]!) ?? 1
            let absolute = request.query["absolute"]?.lowercased() == "true"
            if count <= 1 {
                throw HTTPFound(location: absolute ? "\(request.scheme)://\(request.host ?? "")/get" : "/get")
            }
            let kind = absolute ? "absolute" : "relative"
            throw HTTPFound(location: absolute
                ? "\(request.scheme)://\(request.host ?? "")/absolute-redirect/\(count - 1)" : "/\(kind)-redirect/\(count - 1)")
        }
        router.get("/relative-redirect/{n:[0-9]+}") { request in
            let count = Int(request.matchInfo["n"]!) ?? 1
            throw HTTPFound(location: count <= 1 ? "/get" : "/relative-redirect/\(count - 1)")
        }
        router.get("/absolute-redirect/{n:[0-9]+}") { request in
            let count = Int(request.matchInfo["n"]!) ?? 1
            let base = "\(request.scheme)://\(request.host ?? "")"
            throw HTTPFound(location: count <= 1 ? base + "/get" : base + "/absolute-redirect/\(count - 1)")
        }
        router.route(nil, "/redirect-to") { request in
            let form = request.method == .get ? request.query : try await request.post().textFields
            guard let url = form["url"] ?? request.query["url"] else { throw HTTPBadRequest("url is required") }
            var code = Int(form["status_code"] ?? request.query["status_code"] ?? "302") ?? 302
            if !(300..<400).contains(code) { code = 302 }
            var response = Response(status: HTTPResponse.Status(code: code))
            response.headers[.location] = url
            return response
        }
    }

    /// `/cookies`, `/cookies/set`, `/cookies/set/{name}/{value}`, `/cookies/delete`.
    static func registerCookies(_ router: Router) {
        router.get("/cookies") { request in
            .httpbin(.object(["cookies": .object(request.cookies.mapValues(JSONValue.string))]))
        }
        router.get("/cookies/set") { request in
            var response = Response(HTTPFound(location: "/cookies"))
            try Self.clientCookies { for (name, value) in request.query { try response.setCookie(Cookie(name: name, value: value)) } }
            return response
        }
        router.get("/cookies/set/{name}/{value}") { request in
            var response = Response(HTTPFound(location: "/cookies"))
            try Self.clientCookies { try response.setCookie(Cookie(name: request.matchInfo["name"]!, value: request.matchInfo["value"]!)) }
            return response
        }
        router.get("/cookies/delete") { request in
            var response = Response(HTTPFound(location: "/cookies"))
            try Self.clientCookies { for name in request.query.keys { try response.deleteCookie(name) } }
            return response
        }
    }

    /// Runs `body`, which sets cookies the client named: a name that cannot be a cookie's is the
    /// client's mistake (400).
    static func clientCookies(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InvalidCookie {
            throw HTTPBadRequest("\(error)")
        }
    }
}
