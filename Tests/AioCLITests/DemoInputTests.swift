import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import aio

/// `aio serve` answers input that makes no sense with a 4xx and a reason: never a crash (each
/// of these once trapped or hung the server), never a 500, never access it should not give.
@Suite("aio serve with bad input")
struct DemoInputTests {
    @Test(arguments: [
        // Traps: a status outside 0...999, NaN and infinity to integers, an empty split, a
        // sum of weights that overflows to infinity.
        "/drip?code=1000", "/drip?code=-1", "/drip?duration=nan", "/drip?delay=inf", "/drip?numbytes=0",
        "/delay/nan", "/delay/-inf", "/status/:", "/status/200:1e308,201:1e308", "/status/200:nan",
        "/status/200:0,500:0",
        // A 1xx as the final answer leaves a client waiting for the real one.
        "/status/100", "/status/101", "/drip?code=101",
        // Cookie names that would inject attributes or be empty.
        "/cookies/set?a%3Bb=1", "/cookies/set?=x", "/cookies/set/%0d%0a/x", "/cookies/delete?a%3Bb",
    ])
    func refusedWithABadRequest(_ target: String) async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        let response = try await app.test(.router) { client in try await client.execute(.get, target) }
        #expect(response.status == .badRequest, "\(target): \(response.status) \(response.text.prefix(100))")
    }

    /// Numbers in route patterns are ASCII digits: other scripts' digits find no route.
    @Test func unicodeDigitsFindNoRoute() async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        try await app.test(.router) { client async throws in
            for target in ["/bytes/%D9%A3", "/cache/%D9%A3", "/range/%D9%A3"] {
                #expect(try await client.execute(.get, target).status == .notFound, "\(target)")
            }
        }
    }

    /// A Digest answer without a response, or with a qop it cannot be checked against, is a new
    /// challenge, not a pass; a stale_after cookie at Int.min counts down without overflowing.
    @Test func digestAuthWithoutAProofFails() async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        try await app.test(.router) { client async throws in
            for authorization in [#"Digest username="user", qop=auth"#, #"Digest username="user", qop=foo, response="x""#, #"Digest username="user""#] {
                let answer = try await client.execute(.get, "/digest-auth/auth/user/pass", headers: [.authorization: authorization])
                #expect(answer.status == .unauthorized, "\(authorization)")
            }
            // A correct RFC 2069 answer (no qop) with the countdown cookie at its lowest.
            let nonce = "abc"
            let ha1 = Httpbin.digestHash("user:me@kennethreitz.com:pass", "MD5")
            let ha2 = Httpbin.digestHash("GET:/digest-auth/auth/user/pass", "MD5")
            let proof = Httpbin.digestHash("\(ha1):\(nonce):\(ha2)", "MD5")
            let answer = try await client.execute(.get, "/digest-auth/auth/user/pass", headers: [
                .authorization: #"Digest username="user", realm="me@kennethreitz.com", nonce="abc", uri="/digest-auth/auth/user/pass", response="\#(proof)""#,
                .cookie: "stale_after=-9223372036854775808",
            ])
            #expect(answer.status == .ok)
            #expect(answer.headerFields[values: .setCookie].contains { $0.hasPrefix("stale_after=0;") })
        }
    }

    /// Deeply nested JSON is not echoed (it would grow a thousandfold indented).
    @Test func deepJSONIsNotEchoed() async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        let deep = String(repeating: "[", count: 200) + "0" + String(repeating: "]", count: 200)
        let shallow = #"{"a": [1, {"b": null}]}"#
        try await app.test(.router) { client async throws in
            for (body, echoed) in [(deep, false), (shallow, true)] {
                let answer = try await client.execute(.post, "/post", headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(answer.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any])
                #expect((json["json"] is NSNull) != echoed)
                #expect(answer.body.readableBytes < 10_000)
            }
        }
    }

    /// /drip spreads its bytes over whole milliseconds: a million bytes at once is one write.
    @Test func dripOfManyBytesAtOnce() async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        try await app.test(.router) { client async throws in
            let answer = try await client.execute(.get, "/drip?numbytes=1000000&duration=0")
            #expect(answer.body.readableBytes == 1_000_000)
            #expect(answer.body.readableBytesView.allSatisfy { $0 == UInt8(ascii: "*") })
        }
    }
}
