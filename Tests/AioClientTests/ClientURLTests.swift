import Testing

@testable import AioClient

@Suite("Client URLs")
struct ClientURLTests {
    /// RFC 3986 §5.4: every normal and abnormal example against `http://a/b/c/d;p?q`.
    @Test func theRFCsResolutionExamples() throws {
        let base = try ClientURL("http://a/b/c/d;p?q")
        let examples: [(String, String)] = [
            ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
            ("//g", "http://g/"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"), (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"),
            ("g;x?y#s", "http://a/b/c/g;x?y#s"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"),
            ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"), ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."), ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"), ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"),
            ("g;x=1/./y", "http://a/b/c/g;x=1/y"), ("g;x=1/../y", "http://a/b/c/y"), ("g?y/./x", "http://a/b/c/g?y/./x"),
            ("g?y/../x", "http://a/b/c/g?y/../x"), ("g#s/./x", "http://a/b/c/g#s/./x"), ("g#s/../x", "http://a/b/c/g#s/../x"),
        ]
        for (reference, expected) in examples {
            let url = try ClientURL(reference, relativeTo: base)
            #expect(url.string + (url.fragment.map { "#\($0)" } ?? "") == expected, "\(reference)")
        }
    }

    @Test func partsOfAbsoluteURLs() throws {
        let url = try ClientURL("HTTPS://User%40x:p%3Ass@Example.COM.:8443/a%20b/c d?q=é&r#frag")
        #expect(url.scheme == "https" && url.host == "example.com" && url.port == 8443)
        #expect(url.authority == "example.com:8443")
        #expect(url.user == "User@x" && url.password == "p:ss")
        #expect(url.target == "/a%20b/c%20d?q=%C3%A9&r", "spaces and non-ASCII percent-encoded, escapes kept")
        #expect(url.fragment == "frag")
        #expect(url.string == "https://example.com:8443/a%20b/c%20d?q=%C3%A9&r")
        let v6 = try ClientURL("http://[::1]:8080")
        #expect(v6.host == "::1" && v6.authority == "[::1]:8080" && v6.target == "/" && v6.isIPAddress)
        #expect(try ClientURL("http://h.test:80/").authority == "h.test", "the default port is left out")
        #expect(try ClientURL("http://h.test/", params: [("a", "1 2")]).target == "/?a=1+2")
        #expect(try ClientURL("http://h.test/?x=1", params: [("a", "b")]).target == "/?x=1&a=b")
    }

    @Test func refusals() throws {
        for (text, reason) in [
            ("http://127.1/", "canonical"), ("http://2130706433/", "canonical"), ("http://0x7f.0.0.1/", "canonical"),
            ("http://1.2.3.04/", "canonical"), ("http:///path", "no host"), ("http://h.test:99999/", "port"),
            ("http://h.test:8x/", "port"), ("http://[::1/", "IPv6"), ("http://ho st/", "characters"), ("/relative", "no scheme"),
        ] {
            let error = #expect(throws: InvalidUrlClientError.self, "\(text)") { try ClientURL(text) }
            #expect(error?.reason.contains(reason) == true, "\(text): \(error?.reason ?? "")")
        }
        #expect(throws: NonHttpUrlClientError.self) { try ClientURL("ftp://h.test/") }
        let base = try ClientURL("http://h.test/a")
        #expect(throws: NonHttpUrlRedirectClientError.self) { try base.redirect(to: "javascript:alert(1)") }
        #expect(throws: InvalidUrlRedirectClientError.self) { try base.redirect(to: "http://127.1/") }
        #expect(try ClientURL("http://1.2.3.4/").isIPAddress)
        #expect(try ClientURL("http://foo.1ab/").host == "foo.1ab", "a hex-looking last label is a name (WHATWG)")
        #expect(try ClientURL("http://h.test/100%/%41%zz").target == "/100%25/%41%25zz", "a bare % is encoded, escapes kept")
        #expect(try !ClientURL("http://1.2.3.4.example/").isIPAddress)
    }
}
