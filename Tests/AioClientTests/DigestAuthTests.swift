import AioWeb
import HTTPTypes
import Synchronization
import Testing

@testable import AioClient

@Suite("Digest auth")
struct DigestAuthTests {
    /// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
    @Test func challengesAreAnsweredOnlyWhenTheirValuesAreText() {
        let auth = DigestAuth(login: "user", password: "pass")
        let plain = auth.authorization(answering: [#"Basic realm="x", Digest realm="r", nonce="n", qop=auth"#], method: .get, uri: "/a")
        #expect(plain?.hasPrefix(#"Digest username="user", realm="r", nonce="n", uri="/a", algorithm=MD5"#) == true)
        // A control character cannot be in a quoted string: the challenge is refused, not echoed
        // into the Authorization line (found by the fuzzer).
        #expect(auth.authorization(answering: ["Digest realm=\"a\rb\", nonce=\"n\""], method: .get, uri: "/a") == nil)
        #expect(auth.authorization(answering: ["Digest realm=\"r\", nonce=\"n\u{0}\""], method: .get, uri: "/a") == nil)
        #expect(auth.authorization(answering: ["Digest realm=\"r\", nonce=\"n\", algorithm=ROT13"], method: .get, uri: "/a") == nil)
    }

    @Test func theRFCsWorkedExamples() throws {
        let auth = DigestAuth(login: "Mufasa", password: "Circle of Life")
        for (algorithm, expected) in [
            ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
            ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        ] {
            let field = """
                Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=\(algorithm), \
                nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
                """
            let challenge = try #require(Challenge.strongest(in: [field]))
            let answer = try #require(
                auth.answer(challenge, method: "GET", uri: "/dir/index.html", count: 1, cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
            )
            let parameters = try #require(AuthChallenges.parse(answer).first?.parameters)
            #expect(parameters["response"] == expected, "\(algorithm)")
            #expect(parameters["nc"] == "00000001" && parameters["qop"] == "auth" && parameters["username"] == "Mufasa")
            #expect(parameters["opaque"] == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS" && parameters["uri"] == "/dir/index.html")
        }
    }

    /// RFC 7616 §3.9.2's request (SHA-512-256, `userhash`, a non-ASCII user name), with the
    /// values Python's hashlib (OpenSSL's SHA-512/256) computes for it.
    @Test func sha512256WithUserhash() throws {
        let auth = DigestAuth(login: "J\u{E4}s\u{F8}n Doe", password: "Secret, or not?")
        let field = """
            Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, \
            nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", \
            charset=UTF-8, userhash=true
            """
        let challenge = try #require(Challenge.strongest(in: [field]))
        let answer = try #require(auth.answer(challenge, method: "GET", uri: "/doe.json", count: 1, cnonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"))
        let parameters = try #require(AuthChallenges.parse(answer).first?.parameters)
        #expect(parameters["username"] == "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b")
        #expect(parameters["response"] == "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5")
        #expect(parameters["userhash"] == "true" && parameters["algorithm"] == "SHA-512-256")
    }

    @Test func challengesAmongOtherSchemes() throws {
        let parsed = AuthChallenges.parse(#"Basic realm="a, b", Digest realm="r", nonce="n\"1", algorithm=MD5, Digest realm="r", nonce="m", algorithm=SHA-256"#)
        #expect(parsed.map(\.scheme) == ["Basic", "Digest", "Digest"])
        #expect(parsed[0].parameters["realm"] == "a, b")
        #expect(parsed[1].parameters["nonce"] == "n\"1")
        #expect(Challenge.strongest(in: [#"Digest realm="r", nonce="n", algorithm=MD5"#, #"Digest realm="r", nonce="m", algorithm=SHA-256"#])?.nonce == "m")
        #expect(Challenge.strongest(in: [#"Digest realm="r", nonce="n", algorithm=SHA3"#]) == nil, "an algorithm the client lacks")
    }

    /// Against a server checking answers the way httpbin does: the challenge answered once,
    /// later requests answered at once with the next nonce count, never to another origin.
    @Test func aChallengeAnsweredThenReused() async throws {
        let seen = Mutex<[String]>([])
        let app = Application()
        app.router.get("/secret") { request in
            let authorization = request.headers[.authorization] ?? ""
            seen.withLock { $0.append(authorization) }
            let challenge = #"Digest realm="test", nonce="abc", qop="auth", algorithm=SHA-256, opaque="o""#
            guard let parameters = AuthChallenges.parse(authorization).first?.parameters, let nc = parameters["nc"], let cnonce = parameters["cnonce"] else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: challenge])
            }
            let expected = DigestAuth(login: "user", password: "pass").answer(
                try #require(Challenge.strongest(in: [challenge])), method: "GET", uri: "/secret", count: Int(nc, radix: 16) ?? 0, cnonce: cnonce
            )
            guard let expected, AuthChallenges.parse(expected).first?.parameters["response"] == parameters["response"] else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: challenge])
            }
            return .text("welcome \(nc)")
        }
        let auth = DigestAuth(login: "user", password: "pass")
        _ = try app.freeze()
        try await withTestServerURL(app) { base in
            try await withClientSession(baseURL: base, middlewares: [auth.middleware]) { (session: ClientSession) async throws -> Void in
                #expect(try await session.get("/secret").text() == "welcome 00000001")
                #expect(try await session.get("/secret").text() == "welcome 00000002", "answered at once")
            }
            let wrong = DigestAuth(login: "user", password: "wrong")
            try await withClientSession(baseURL: base, middlewares: [wrong.middleware]) { (session: ClientSession) async throws -> Void in
                #expect(try await session.get("/secret").status == .unauthorized, "a refused answer is final")
            }
        }
        #expect(seen.withLock { $0.count } == 5)
    }
}
