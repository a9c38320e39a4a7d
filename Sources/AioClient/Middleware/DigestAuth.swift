#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioWire
import Crypto
import CryptoExtras
import HTTPTypes
import Synchronization

/// HTTP Digest authentication (RFC 7616) as a client middleware, as aiohttp's
/// `DigestAuthMiddleware`: a request answered 401 with a `Digest` challenge is sent again with
/// its answer; later requests to the same origin answer the last challenge at once (with the
/// next nonce count) until the server sends a new one. MD5, SHA-256 and SHA-512-256, their
/// `-sess` forms, `qop=auth` (and RFC 2069 without qop), `userhash`, and httpbin's SHA-512.
///
/// ```swift
/// let session = try ClientSession(middlewares: [DigestAuth(login: "Mufasa", password: "Circle of Life").middleware])
/// ```
public final class DigestAuth: Sendable {
    /// The user name.
    public let login: String
    /// The password.
    public let password: String

    private struct State {
        var challenge: Challenge?
        var origin: String?
        var count = 0
    }

    private let state = Mutex(State())
    /// Makes client nonces (a parameter for the RFC's worked examples).
    private let makeCnonce: @Sendable () -> String

    /// Credentials to answer challenges with.
    public init(login: String, password: String) {
        self.login = login
        self.password = password
        self.makeCnonce = {
            var generator = SystemRandomNumberGenerator()
            return Hex.string((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }

    init(login: String, password: String, cnonce: @escaping @Sendable () -> String) {
        self.login = login
        self.password = password
        self.makeCnonce = cnonce
    }

    /// The middleware answering challenges with these credentials; never for a request a
    /// redirect took to another origin.
    public var middleware: ClientMiddleware {
        ClientMiddleware { request, next in
            guard !request.isCrossOrigin, request.headers[.authorization] == nil else { return try await next(request) }
            var first = request
            if let answer = self.preemptiveAnswer(for: request) { first.headers[.authorization] = answer }
            let response = try await next(first)
            guard response.status == .unauthorized,
                let challenge = Challenge.strongest(in: response.headers[values: .wwwAuthenticate])
            else { return response }
            // A stale nonce is answered again; a refused answer to the same nonce is final.
            let previous = self.state.withLock { $0.challenge }
            if first.headers[.authorization] != nil, previous?.nonce == challenge.nonce, !challenge.stale { return response }
            self.state.withLock { state in
                state.challenge = challenge
                state.origin = request.target.origin
                state.count = 0
            }
            // A body that cannot be sent twice cannot answer a challenge: the 401 stands.
            guard request.body?.isReplayable != false, let answer = self.preemptiveAnswer(for: request) else { return response }
            await response.release()
            var retry = request
            retry.headers[.authorization] = answer
            return try await next(retry)
        }
    }

    /// The `Authorization` value answering the strongest `Digest` challenge among
    /// `wwwAuthenticate` (a 401's `WWW-Authenticate` values) for `method` on `uri` (the request
    /// target), as the first use of its nonce: for requests sent by other means than a session.
    /// Nil when no challenge can be answered (none, or only unknown algorithms).
    public func authorization(answering wwwAuthenticate: [String], method: HTTPRequest.Method, uri: String) -> String? {
        Challenge.strongest(in: wwwAuthenticate).flatMap {
            self.answer($0, method: method.rawValue, uri: uri, count: 1, cnonce: self.makeCnonce())
        }
    }

    /// The answer to the last challenge of `request`'s origin, counting it.
    private func preemptiveAnswer(for request: ClientRequest) -> String? {
        let taken = self.state.withLock { state -> (Challenge, Int)? in
            guard let challenge = state.challenge, state.origin == request.target.origin else { return nil }
            state.count += 1
            return (challenge, state.count)
        }
        guard let (challenge, count) = taken else { return nil }
        return self.answer(challenge, method: request.method.rawValue, uri: request.target.target, count: count, cnonce: self.makeCnonce())
    }

    /// The `Authorization` value answering `challenge` for `method` on `uri` (RFC 7616 §3.4).
    func answer(_ challenge: Challenge, method: String, uri: String, count: Int, cnonce: String) -> String? {
        guard let algorithm = challenge.algorithm else { return nil }
        let hash = algorithm.hash
        var ha1 = hash("\(self.login):\(challenge.realm):\(self.password)")
        if algorithm.session { ha1 = hash("\(ha1):\(challenge.nonce):\(cnonce)") }
        let ha2 = hash("\(method):\(uri)")
        let ncText = Hex.string(UInt64(count), width: 8)
        let response = challenge.qopAuth
            ? hash("\(ha1):\(challenge.nonce):\(ncText):\(cnonce):auth:\(ha2)")
            : hash("\(ha1):\(challenge.nonce):\(ha2)")
        let username = challenge.userhash ? hash("\(self.login):\(challenge.realm)") : self.login
        var parts = [
            "username=\(Self.quoted(username))", "realm=\(Self.quoted(challenge.realm))", "nonce=\(Self.quoted(challenge.nonce))",
            "uri=\(Self.quoted(uri))", "algorithm=\(algorithm.name)", "response=\(Self.quoted(response))",
        ]
        if challenge.qopAuth { parts += ["qop=auth", "nc=\(ncText)", "cnonce=\(Self.quoted(cnonce))"] }
        if let opaque = challenge.opaque { parts.append("opaque=\(Self.quoted(opaque))") }
        if challenge.userhash { parts.append("userhash=true") }
        return "Digest " + parts.joined(separator: ", ")
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}

/// A hash algorithm of RFC 7616 §3.3 (and httpbin's SHA-512), with or without `-sess`.
struct DigestAlgorithm: Sendable {
    let name: String
    let session: Bool
    let hash: @Sendable (String) -> String

    init?(_ name: String) {
        let upper = name.uppercased()
        self.session = upper.hasSuffix("-SESS")
        self.name = name
        switch self.session ? String(upper.dropLast(5)) : upper {
        case "MD5": self.hash = { Hex.string(Insecure.MD5.hash(data: Data($0.utf8))) }
        case "SHA-256": self.hash = { Hex.string(SHA256.hash(data: Data($0.utf8))) }
        case "SHA-512-256": self.hash = { Hex.string(SHA512256.hash(data: Data($0.utf8))) }
        case "SHA-512": self.hash = { Hex.string(SHA512.hash(data: Data($0.utf8))) }
        default: return nil
        }
    }

    /// Stronger first, for a server that offers several.
    var strength: Int {
        switch self.session ? String(self.name.uppercased().dropLast(5)) : self.name.uppercased() {
        case "SHA-512-256": 3
        case "SHA-512": 2
        case "SHA-256": 1
        default: 0
        }
    }
}

/// One `Digest` challenge of a `WWW-Authenticate` field.
struct Challenge: Sendable {
    let realm: String
    let nonce: String
    let opaque: String?
    let algorithm: DigestAlgorithm?
    /// Whether the server offers `qop=auth` (otherwise RFC 2069's answer).
    let qopAuth: Bool
    let stale: Bool
    let userhash: Bool

    /// The strongest `Digest` challenge with an algorithm this client has, in `fields`.
    static func strongest(in fields: [String]) -> Challenge? {
        fields.flatMap(AuthChallenges.parse)
            .filter { $0.scheme.lowercased() == "digest" }
            .compactMap { Challenge($0.parameters) }
            .filter { $0.algorithm != nil }
            .max { ($0.algorithm?.strength ?? 0) < ($1.algorithm?.strength ?? 0) }
    }

    init?(_ parameters: [String: String]) {
        guard let realm = parameters["realm"], let nonce = parameters["nonce"] else { return nil }
        // Values that would go back in the answer: a control character (impossible in a quoted
        // string) refuses the challenge rather than break the `Authorization` line.
        guard ![realm, nonce, parameters["opaque"] ?? ""].contains(where: \.containsControlCharacters) else { return nil }
        self.realm = realm
        self.nonce = nonce
        self.opaque = parameters["opaque"]
        self.algorithm = DigestAlgorithm(parameters["algorithm"] ?? "MD5")
        self.qopAuth = parameters["qop"].map { $0.split(separator: ",").contains { $0.trimmingSpaces.lowercased() == "auth" } } ?? false
        self.stale = parameters["stale"]?.lowercased() == "true"
        self.userhash = parameters["userhash"]?.lowercased() == "true"
    }
}

/// `WWW-Authenticate` values (RFC 9110 §11.6.1): schemes, each with its `name=value`
/// parameters (tokens or quoted strings, names lowercased). A malformed rest is dropped.
enum AuthChallenges {
    static func parse(_ field: String) -> [(scheme: String, parameters: [String: String])] {
        var challenges: [(scheme: String, parameters: [String: String])] = []
        var scanner = FieldValueScanner(field)
        while !scanner.atEnd {
            scanner.skipSpaces(and: UInt8(ascii: ","))
            let scheme = scanner.token()
            guard !scheme.isEmpty else { break }
            var parameters: [String: String] = [:]
            // Parameters until another scheme begins (a token not followed by `=`).
            while let (name, value) = scanner.parameter() {
                parameters[name] = value
                scanner.skipSpaces()
                guard scanner.consume(UInt8(ascii: ",")) else { break }
            }
            challenges.append((scheme, parameters))
        }
        return challenges
    }
}
