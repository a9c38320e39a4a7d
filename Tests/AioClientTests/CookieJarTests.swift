import AioWeb
import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import AioClient

@Suite("Cookie jar")
struct CookieJarTests {
    /// A jar whose clock the test moves.
    final class Clock: Sendable {
        let seconds = Mutex(1_700_000_000.0)
        func advance(_ by: Double) { self.seconds.withLock { $0 += by } }
        var now: Double { self.seconds.withLock { $0 } }
    }

    func jar(unsafe: Bool = false, clock: Clock = Clock()) -> CookieJar {
        CookieJar(unsafe: unsafe, now: { clock.now })
    }

    @Test func datesInEveryFormServersSend() {
        let expected = 1_445_412_480.0  // 2015-10-21 07:28:00 UTC
        for text in ["Wed, 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-15 07:28:00 GMT", "Wed Oct 21 07:28:00 2015", "21 oct 2015 7:28:0"] {
            #expect(CookieDate.parse(text) == expected, "\(text)")
        }
        #expect(CookieDate.parse("Thu, 01 Jan 2069 00:00:00 GMT") == CookieDate.parse("01 Jan 69 00:00:00"))
        #expect(CookieDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        for bad in ["", "Wed, 30 Feb 2015 07:28:00 GMT", "21 Oct 2015", "Wed, 21 Oct 1500 07:28:00 GMT", "21 Oct 2015 24:00:00"] {
            #expect(CookieDate.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func controlCharactersIgnoreTheCookie() throws {
        let jar = self.jar()
        // RFC 6265bis §5.7: a control character but a tab, in the name or the value.
        jar.update(setCookie: ["a=b\u{01}c", "nul\u{0}=x", "del=\u{7F}", "bell\u{07}=1", "tab=b\tc"], from: "http://example.com/")
        #expect(jar.all.map(\.name) == ["tab"])
        #expect(jar.cookieHeader(for: "http://example.com/") == "tab=b\tc")
        // A `;` followed by a combining mark is one character but still ends the value (found by
        // the fuzzer: the jar kept `b;\u{05B2}c` and sent a second cookie inside the first).
        jar.update(setCookie: ["combined=b;\u{05B2}c=d; Path=/"], from: "http://example.com/")
        #expect(jar.all.first { $0.name == "combined" }?.value == "b")
        // A Max-Age that is not digits is ignored, not taken as zero (a combining mark makes
        // "1" and the mark one character).
        jar.update(setCookie: ["kept=1; Max-Age=1\u{301}"], from: "http://example.com/")
        #expect(jar.all.contains { $0.name == "kept" && $0.expires == nil })
    }

    @Test func hostOnlyAndDomainCookies() throws {
        let jar = self.jar()
        jar.update(setCookie: ["host=1", "wide=2; Domain=.Example.com", "other=3; Domain=other.com"], from: "http://www.example.com/")
        #expect(jar.count == 2, "a Domain the host is not in is refused")
        #expect(jar.cookieHeader(for: "http://www.example.com/") == "host=1; wide=2")
        #expect(jar.cookieHeader(for: "http://api.www.example.com/") == "wide=2")
        #expect(jar.cookieHeader(for: "http://example.com/") == "wide=2")
        #expect(jar.cookieHeader(for: "http://notexample.com/") == nil)
        // A Domain equal to the host still reaches its subdomains (RFC 6265 §5.3 step 6).
        jar.update(setCookie: ["same=4; Domain=www.example.com"], from: "http://www.example.com/")
        #expect(jar.cookieHeader(for: "http://api.www.example.com/") == "wide=2; same=4")
        // A single-label domain other than the host itself is refused.
        jar.update(setCookie: ["tld=5; Domain=com"], from: "http://evil.com/")
        #expect(jar.all.contains { $0.name == "tld" } == false)
    }

    @Test func pathsAndOrder() throws {
        let clock = Clock()
        let jar = self.jar(clock: clock)
        jar.update(setCookie: ["a=1; Path=/"], from: "http://h.test/")
        clock.advance(1)
        jar.update(setCookie: ["b=2; Path=/docs", "c=3; Path=/"], from: "http://h.test/")
        // The default path is the request's up to its last slash.
        jar.update(setCookie: ["d=4"], from: "http://h.test/docs/web/page")
        #expect(jar.cookieHeader(for: "http://h.test/docs/web/x") == "d=4; b=2; a=1; c=3")
        #expect(jar.cookieHeader(for: "http://h.test/docs") == "b=2; a=1; c=3")
        #expect(jar.cookieHeader(for: "http://h.test/docsets") == "a=1; c=3", "/docs is not a prefix of /docsets")
    }

    @Test func secureCookiesAndExpiry() throws {
        let clock = Clock()
        let jar = self.jar(clock: clock)
        jar.update(setCookie: ["plain=1; Secure"], from: "http://h.test/")
        #expect(jar.count == 0, "a plain-HTTP page cannot set a Secure cookie")
        jar.update(setCookie: ["s=1; Secure; HttpOnly; SameSite=Lax", "m=2; Max-Age=60; Expires=Wed, 21 Oct 2015 07:28:00 GMT", "e=3; Expires=Wed, 21 Oct 2015 07:28:00 GMT"], from: "https://h.test/")
        #expect(jar.cookieHeader(for: "https://h.test/") == "s=1; m=2", "Max-Age wins over a past Expires")
        #expect(jar.cookieHeader(for: "http://h.test/") == "m=2", "Secure cookies only over HTTPS")
        #expect(jar.all.first { $0.name == "s" }?.sameSite == "Lax")
        jar.update(setCookie: ["s=changed"], from: "http://h.test/")
        #expect(jar.cookieHeader(for: "https://h.test/") == "s=1; m=2", "a plain-HTTP page cannot replace a Secure cookie")
        clock.advance(61)
        #expect(jar.cookieHeader(for: "https://h.test/") == "s=1")
        jar.update(setCookie: ["s=gone; Max-Age=0"], from: "https://h.test/")
        #expect(jar.count == 0)
    }

    @Test func addressesOnlyWhenUnsafe() throws {
        let safe = self.jar()
        safe.update(setCookie: ["a=1"], from: "http://127.0.0.1:8080/")
        #expect(safe.count == 0)
        let unsafe = self.jar(unsafe: true)
        unsafe.update(setCookie: ["a=1", "b=2; Domain=0.0.1"], from: "http://127.0.0.1:8080/")
        #expect(unsafe.cookieHeader(for: "http://127.0.0.1:9090/") == "a=1")
    }

    @Test func savedAndLoadedPrivately() throws {
        let jar = self.jar()
        jar.update(setCookie: ["host=1", "wide=2; Domain=example.com; Max-Age=3600; Secure"], from: "https://www.example.com/x/y")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aio-jar-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try jar.save(to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let loaded = self.jar()
        try loaded.load(from: path)
        #expect(Set(loaded.all) == Set(jar.all))
        #expect(loaded.cookieHeader(for: "https://a.example.com/x/z") == "wide=2", "host-only flag and path kept")
    }

    @Test func theSessionKeepsAndSendsCookies() async throws {
        let app = Application()
        app.router.get("/set") { _ in
            Response(status: .found, headers: [.location: "/show", .setCookie: "session=abc; Path=/"])
        }
        app.router.get("/show") { request in .text(request.headers[.cookie] ?? "") }
        try await withServedApp(app) { session, _ in
            // A cookie set on a redirect applies to the next hop (an IP host needs an unsafe jar:
            // the default jar refuses it, as aiohttp's).
            let shown = try await session.get("/set").text()
            #expect(shown == "")
        }
        _ = try app.freeze()
        try await withTestServerURL(app) { base in
            let jar = CookieJar(unsafe: true)
            try await withClientSession(baseURL: base, cookieJar: jar) { (session: ClientSession) async throws -> Void in
                let shown = try await session.get("/set")
                #expect(try await shown.text() == "session=abc")
                #expect(shown.history.first?.cookies.first?.name == "session")
                let combined = try await session.get("/show", headers: [.cookie: "mine=1"]).text()
                #expect(combined == "mine=1; session=abc")
            }
            #expect(jar.count == 1)
            try await withClientSession(baseURL: base, cookieJar: nil) { (session: ClientSession) async throws -> Void in
                #expect(try await session.get("/set").text() == "")
            }
        }
    }
}
