import AioHTTP
import Crypto
import Foundation
import HTTPTypes

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

    /// HTTP Digest authentication (RFC 7616) with qop `auth` or `auth-int` and MD5, SHA-256 or
    /// SHA-512, as httpbin checks it.
    static func digest(_ request: Request) async throws -> Response {
        let qop = request.matchInfo["qop"]!.lowercased()
        let user = request.matchInfo["user"]!
        let password = request.matchInfo["passwd"]!
        let algorithm = (request.matchInfo["algorithm"] ?? "MD5").uppercased()
        guard ["auth", "auth-int"].contains(qop), ["MD5", "SHA-256", "SHA-512"].contains(algorithm) else {
            throw HTTPBadRequest("unsupported qop or algorithm")
        }
        func hash(_ text: String) -> String {
            let bytes = Array(text.utf8)
            switch algorithm {
            case "SHA-256": return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            case "SHA-512": return SHA512.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            default: return Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            }
        }
        let challenge = {
            let nonce = hash("\(UUID().uuidString)\(Date().timeIntervalSince1970)")
            let opaque = hash(UUID().uuidString)
            return "Digest realm=\"me@kennethreitz.com\", nonce=\"\(nonce)\", qop=\"\(qop)\", opaque=\"\(opaque)\", algorithm=\(algorithm), stale=FALSE"
        }
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Digest ") else {
            throw HTTPUnauthorized(headers: [.wwwAuthenticate: challenge()])
        }
        let parameters = Self.digestParameters(String(authorization.dropFirst(7)))
        guard parameters["username"] == user, let nonce = parameters["nonce"], let response = parameters["response"],
            let uri = parameters["uri"]
        else {
            throw HTTPUnauthorized(headers: [.wwwAuthenticate: challenge()])
        }
        let body = qop == "auth-int" ? try await request.read() : nil
        let ha1 = hash("\(user):\(parameters["realm"] ?? ""):\(password)")
        let ha2 = body.map { hash("\(request.method.rawValue):\(uri):\(hash(String(buffer: $0)))") }
            ?? hash("\(request.method.rawValue):\(uri)")
        let expected = hash("\(ha1):\(nonce):\(parameters["nc"] ?? ""):\(parameters["cnonce"] ?? ""):\(parameters["qop"] ?? qop):\(ha2)")
        guard expected == response else {
            throw HTTPUnauthorized(headers: [.wwwAuthenticate: challenge()])
        }
        return .httpbin(.object(["authenticated": .bool(true), "user": .string(user)]))
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
