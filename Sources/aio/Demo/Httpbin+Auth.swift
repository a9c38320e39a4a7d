import AioHTTP
import Crypto
import Foundation
import HTTPTypes
import NIOCore

extension Httpbin {
    /// `/basic-auth`, `/hidden-basic-auth`, `/bearer`, `/digest-auth`.
    static func registerAuth(_ router: Router) {
        router.get("/basic-auth/{user}/{passwd}") { request in
            let (user, password) = (request.matchInfo["user"]!, request.matchInfo["passwd"]!)
            guard let credentials = Self.basicCredentials(request), credentials == (user, password) else {
                throw HTTPUnauthorized(headers: [.wwwAuthenticate: "Basic realm=\"Fake Realm\""])
            }
            return .httpbin(.object(["authenticated": .bool(true), "user": .string(user)]))
        }
        router.get("/hidden-basic-auth/{user}/{passwd}") { request in
            let (user, password) = (request.matchInfo["user"]!, request.matchInfo["passwd"]!)
            guard let credentials = Self.basicCredentials(request), credentials == (user, password) else {
                throw HTTPNotFound()
            }
            return .httpbin(.object(["authenticated": .bool(true), "user": .string(user)]))
        }
        router.get("/bearer") { request in
            let authorization = request.headers[.authorization] ?? ""
            guard authorization.hasPrefix("Bearer "), authorization.count > 7 else {
                throw HTTPUnauthorized(headers: [.wwwAuthenticate: "Bearer"])
            }
            return .httpbin(.object(["authenticated": .bool(true), "token": .string(String(authorization.dropFirst(7)))]))
        }
        for path in [
            "/digest-auth/{qop}/{user}/{passwd}", "/digest-auth/{qop}/{user}/{passwd}/{algorithm}",
            "/digest-auth/{qop}/{user}/{passwd}/{algorithm}/{stale}",
        ] {
            router.get(path) { request in try await Self.digest(request) }
        }
    }

    static func basicCredentials(_ request: Request) -> (String, String)? {
        guard let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// HTTP Digest authentication (RFC 7616, and RFC 2069 when the client sends no qop) with
    /// MD5, SHA-256 or SHA-512, as httpbin does it, cookies included: every challenge sets
    /// `fake=fake_value` and `stale_after`, a failed or replayed answer `last_nonce`, and a
    /// challenge is `stale=TRUE` for a replayed nonce or once `stale_after` counts down to 0.
    /// With `?require-cookie=1` a client must send the cookies back (403 otherwise).
    static func digest(_ request: Request) async throws -> Response {
        let qop = request.matchInfo["qop"].flatMap { ["auth", "auth-int"].contains($0) ? $0 : nil }
        let user = request.matchInfo["user"]!
        let password = request.matchInfo["passwd"]!
        let algorithm = request.matchInfo["algorithm"].flatMap { ["MD5", "SHA-256", "SHA-512"].contains($0) ? $0 : nil } ?? "MD5"
        let staleAfter = request.matchInfo["stale"] ?? "never"
        let requireCookie = ["1", "t", "true"].contains((request.query["require-cookie"] ?? "").lowercased())
        let cookies = request.cookies

        func challenge(stale: Bool, lastNonce: String?) throws -> Response {
            let nonce = digestHash("\(request.remote ?? ""):\(Date().timeIntervalSince1970):\(UUID().uuidString)", algorithm)
            let opaque = digestHash(UUID().uuidString, algorithm)
            let offered = qop ?? "auth, auth-int"
            var response = Response(status: .unauthorized, headers: [
                .contentType: "text/html; charset=utf-8",
                .wwwAuthenticate: "Digest realm=\"me@kennethreitz.com\", nonce=\"\(nonce)\", opaque=\"\(opaque)\", "
                    + "qop=\"\(offered)\", algorithm=\(algorithm), stale=\(stale ? "TRUE" : "FALSE")",
            ])
            try response.setCookie(Cookie(name: "stale_after", value: staleAfter))
            if let lastNonce { try response.setCookie(Cookie(name: "last_nonce", value: lastNonce)) }
            try response.setCookie(Cookie(name: "fake", value: "fake_value"))
            return response
        }

        guard let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("digest "),
            !requireCookie || request.headers[.cookie] != nil
        else {
            return try challenge(stale: false, lastNonce: nil)
        }
        if requireCookie, cookies["fake"] != "fake_value" {
            var response = Response.httpbin(.object(["errors": .array([.string("missing cookie set on challenge")])]), status: .forbidden)
            try response.setCookie(Cookie(name: "fake", value: "fake_value"))
            return response
        }
        let credentials = Self.digestParameters(String(authorization.dropFirst(7)))
        let nonce = credentials["nonce"] ?? ""
        let staleCookie = cookies["stale_after"]
        if cookies["last_nonce"].map({ $0 == nonce }) == true || staleCookie == "0" {
            return try challenge(stale: true, lastNonce: nonce)
        }
        let body = try await request.read()
        guard credentials["username"] == user, let answer = credentials["response"],
            let expected = Self.digestResponse(credentials, password: password, method: request.method.rawValue, uri: request.pathAndQuery, body: body),
            answer == expected
        else {
            return try challenge(stale: false, lastNonce: nonce)
        }
        var response = Response.httpbin(.object(["authenticated": .bool(true), "user": .string(user)]))
        try response.setCookie(Cookie(name: "fake", value: "fake_value"))
        if let staleCookie {
            try response.setCookie(Cookie(name: "stale_after", value: Int(staleCookie).map { String(max($0, 1) - 1) } ?? "never"))
        }
        return response
    }

    /// The `response` a client should have sent, computed as httpbin does: with the client's
    /// own algorithm and qop, over the request's actual URI; nil when a qop's parts are missing.
    static func digestResponse(_ credentials: [String: String], password: String, method: String, uri: String, body: ByteBuffer) -> String? {
        let algorithm = credentials["algorithm"] ?? "MD5"
        let ha1 = digestHash("\(credentials["username"] ?? ""):\(credentials["realm"] ?? ""):\(password)", algorithm)
        switch credentials["qop"] {
        case nil:
            return digestHash("\(ha1):\(credentials["nonce"] ?? ""):\(digestHash("\(method):\(uri)", algorithm))", algorithm)
        case let qop? where qop == "auth" || qop == "auth-int":
            guard let nonce = credentials["nonce"], let count = credentials["nc"], let cnonce = credentials["cnonce"] else { return nil }
            let ha2 = qop == "auth"
                ? digestHash("\(method):\(uri)", algorithm)
                : digestHash("\(method):\(uri):\(digestHash(Array(body.readableBytesView), algorithm))", algorithm)
            return digestHash("\(ha1):\(nonce):\(count):\(cnonce):\(qop):\(ha2)", algorithm)
        default:
            return nil
        }
    }

    /// The hex digest of `text` in UTF-8 with a Digest `algorithm` (MD5 unless SHA-256 or SHA-512).
    static func digestHash(_ text: String, _ algorithm: String) -> String {
        digestHash(Array(text.utf8), algorithm)
    }

    static func digestHash(_ bytes: [UInt8], _ algorithm: String) -> String {
        switch algorithm {
        case "SHA-256": Hex.string(SHA256.hash(data: bytes))
        case "SHA-512": Hex.string(SHA512.hash(data: bytes))
        default: Hex.string(Insecure.MD5.hash(data: bytes))
        }
    }

    /// `name="value", name=value, …` of an `Authorization: Digest` field.
    static func digestParameters(_ text: String) -> [String: String] {
        var parameters: [String: String] = [:]
        var index = text.startIndex
        while index < text.endIndex {
            while index < text.endIndex, text[index] == " " || text[index] == "," { index = text.index(after: index) }
            guard let equals = text[index...].firstIndex(of: "=") else { break }
            let name = text[index..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var cursor = text.index(after: equals)
            var value = ""
            if cursor < text.endIndex, text[cursor] == "\"" {
                cursor = text.index(after: cursor)
                while cursor < text.endIndex, text[cursor] != "\"" {
                    if text[cursor] == "\\" { cursor = text.index(after: cursor) }
                    if cursor < text.endIndex { value.append(text[cursor]) ; cursor = text.index(after: cursor) }
                }
                if cursor < text.endIndex { cursor = text.index(after: cursor) }
            } else {
                while cursor < text.endIndex, text[cursor] != "," { value.append(text[cursor]); cursor = text.index(after: cursor) }
                value = value.trimmingCharacters(in: .whitespaces)
            }
            parameters[name] = value
            index = cursor
        }
        return parameters
    }
}
