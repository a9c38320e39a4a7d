import AioTesting
import AioWeb
import HTTPTypes
import NIOCore
import Testing

@Suite("Router")
struct RouterTests {
    func makeApp() -> Application {
        let app = Application()
        app.router.get("/", name: "index") { _ in .text("index") }
        app.router.get("/users/{id}", name: "user") { request in .text("user \(request.matchInfo["id"]!)") }
        app.router.post("/users/{id}") { request in .text("posted \(request.matchInfo["id"]!)") }
        app.router.get("/numbers/{n:\\d+}") { request in .text("number \(request.matchInfo["n"]!)") }
        app.router.get("/files/{name}.{ext}", name: "file") { request in
            .text("\(request.matchInfo["name"]!) as \(request.matchInfo["ext"]!)")
        }
        app.router.get("/static/{tail:.*}") { request in .text("tail=\(request.matchInfo["tail"]!)") }
        app.router.route(nil, "/any") { request in .text("any \(request.method.rawValue)") }
        app.router.put("/only-put") { _ in .text("put") }
        // The any-method route registered first still leaves GET (and so HEAD) to its own route.
        app.router.route(nil, "/mixed") { request in .text("mixed any \(request.method.rawValue)") }
        app.router.get("/mixed") { _ in .text("mixed get") }
        return app
    }

    @Test("matching", arguments: [TestMode.router, .live])
    func matching(_ mode: TestMode) async throws {
        try await self.makeApp().test(mode) { client in
            #expect(try await client.execute(.get, "/").text == "index")
            #expect(try await client.execute(.get, "/users/42").text == "user 42")
            #expect(try await client.execute(.post, "/users/7").text == "posted 7")
            #expect(try await client.execute(.get, "/users/a%20b").text == "user a b")
            // An encoded slash stays inside its segment; escapes decode to UTF-8, and bytes that
            // are not UTF-8 become U+FFFD as browsers show them.
            #expect(try await client.execute(.get, "/users/a%2Fb").text == "user a/b")
            #expect(try await client.execute(.get, "/users/%C3%A9t%C3%A9").text == "user \u{E9}t\u{E9}")
            #expect(try await client.execute(.get, "/users/%FFx").text == "user \u{FFFD}x")
            #expect(try await client.execute(.get, "/users/%zz%4").text == "user %zz%4")
            #expect(try await client.execute(.get, "/users//").status == .notFound, "an empty segment is no value")
            #expect(try await client.execute(.get, "/users/").status == .notFound)
            #expect(try await client.execute(.get, "/numbers/12").text == "number 12")
            #expect(try await client.execute(.get, "/numbers/x").status == .notFound)
            #expect(try await client.execute(.get, "/files/report.pdf").text == "report as pdf")
            #expect(try await client.execute(.get, "/files/a%2Fb.pdf").text == "a/b as pdf", "%2F is part of a value within a segment too")
            #expect(try await client.execute(.get, "/files/a%0Ab.pdf").text == "a\nb as pdf")
            #expect(try await client.execute(.get, "/static/css/site/main.css").text == "tail=css/site/main.css")
            #expect(try await client.execute(.get, "/static/").text == "tail=")
            #expect(try await client.execute(.delete, "/any").text == "any DELETE")
            #expect(try await client.execute(.get, "/users").status == .notFound)
            #expect(try await client.execute(.get, "/users/1/extra").status == .notFound)
            let head = try await client.execute(.head, "/users/1")
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            let notAllowed = try await client.execute(.delete, "/users/1")
            #expect(notAllowed.status == .methodNotAllowed)
            #expect(notAllowed.headerFields[.allow] == "GET, HEAD, POST")
            #expect(try await client.execute(.get, "/only-put").headerFields[.allow] == "PUT")
            #expect(try await client.execute(.get, "/mixed").text == "mixed get")
            #expect(try await client.execute(.post, "/mixed").text == "mixed any POST")
            let mixedHead = try await client.execute(.head, "/mixed")
            #expect(mixedHead.headerFields[.contentLength] == "9", "HEAD goes to the GET route")
        }
    }

    @Test func urlBuilding() async throws {
        let app = self.makeApp()
        #expect(try app.router.url(for: "user", parts: ["id": "a b/c"]) == "/users/a%20b/c")
        #expect(try app.router.url(for: "file", parts: ["name": "x", "ext": "txt"], query: [("q", "1 2")]) == "/files/x.txt?q=1+2")
        #expect(throws: RouteError.self) { try app.router.url(for: "nope") }
        #expect(throws: RouteError.self) { try app.router.url(for: "user") }
    }

    @Test func badRoutesFailAtStartup() async throws {
        let unbalanced = Application()
        unbalanced.router.get("/a/{id") { _ in .text("") }
        #expect(throws: RouteError.self) { try unbalanced.freeze() }
        let relative = Application()
        relative.router.get("a") { _ in .text("") }
        #expect(throws: RouteError.self) { try relative.freeze() }
        let duplicate = Application()
        duplicate.router.get("/a", name: "x") { _ in .text("") }
        duplicate.router.get("/b", name: "x") { _ in .text("") }
        #expect(throws: RouteError.self) { try duplicate.freeze() }
        let twice = Application()
        twice.router.get("/a") { _ in .text("") }
        twice.router.get("/a") { _ in .text("") }
        #expect(throws: RouteError.self) { try twice.freeze() }
        let anyTwice = Application()
        anyTwice.router.route(nil, "/{tail:.*}") { _ in .text("") }
        anyTwice.router.route(nil, "/{tail:.*}") { _ in .text("") }
        #expect(throws: RouteError.self, "the second would never run") { try anyTwice.freeze() }
        let badRegex = Application()
        badRegex.router.get("/a/{x:[}") { _ in .text("") }
        #expect(throws: RouteError.self) { try badRegex.freeze() }
    }

    @Test func subApplications() async throws {
        let admin = Application()
        admin.router.get("/users/{id}") { request in .text("admin user \(request.matchInfo["id"]!)") }
        try admin.use { request, next in
            var response = try await next(request)
            response.headers[HTTPField.Name("X-Admin")!] = "yes"
            return response
        }
        let app = Application()
        app.router.get("/") { _ in .text("root") }
        try app.addSubapp("/admin", admin)
        try app.use { request, next in
            var response = try await next(request)
            response.headers[HTTPField.Name("X-Root")!] = "yes"
            return response
        }
        try await app.test(.router) { client in
            let response = try await client.execute(.get, "/admin/users/3")
            #expect(response.text == "admin user 3")
            #expect(response.headerFields[HTTPField.Name("X-Admin")!] == "yes")
            #expect(response.headerFields[HTTPField.Name("X-Root")!] == "yes")
            #expect(try await client.execute(.get, "/admin/nothing").status == .notFound)
        }
    }
}
