// Routes, a sub-application, middlewares, typed state and the application's life, checked in
// process with AioTesting.
import AioHTTP
import AioTesting

// snippet.routes
let app = Application(middlewares: [
    // `/users/42/` answers with a 308 to `/users/42`, which exists.
    Middlewares.normalizePath(appendSlash: false, removeSlash: true),
    // gzip or deflate, as `Accept-Encoding` asks, for bodies of 1 KiB and more.
    Middlewares.compression(),
])
app.router.get("/users/{id:\\d+}", name: "user") { request in
    .text("user \(request.matchInfo["id"] ?? "")")
}
app.router.get("/files/{path:.*}") { request in
    .text("file \(request.matchInfo["path"] ?? "")")
}
app.router.get("/search") { request in
    .text("looking for \(request.query["q"] ?? "nothing")")
}
let profile = try app.router.url(for: "user", parts: ["id": "42"], query: [("tab", "posts")])
// profile == "/users/42?tab=posts"
// snippet.middleware
try app.use { request, next in
    let started = ContinuousClock.now
    var response = try await next(request)
    response.headers[HTTPField.Name("X-Elapsed")!] = "\(ContinuousClock.now - started)"
    return response
}
// snippet.subapp
let admin = Application()
admin.router.get("/stats") { _ in .text("all quiet") }
try app.addSubapp("/admin", admin)
// snippet.state
let greeting = AppKey<String>("greeting")
try app.onStartup.append { app in app[greeting] = "Hello" }
app.router.get("/hello") { request in .text("\(request.app[greeting] ?? "Hi"), world") }
// snippet.end

// snippet.hide
try await app.test(.router) { client in
    var texts: [String: String] = [:]
    for path in ["/users/42", "/files/a/b.txt", "/search?q=swift", "/admin/stats"] {
        texts[path] = String(buffer: try await client.execute(.get, path).body)
    }
    let trailing = try await client.execute(.get, "/users/42/")
    let missing = try await client.execute(.get, "/users/abc")
    let hello = try await client.execute(.get, "/hello")
    precondition(profile == "/users/42?tab=posts")
    precondition(texts == ["/users/42": "user 42", "/files/a/b.txt": "file a/b.txt", "/search?q=swift": "looking for swift", "/admin/stats": "all quiet"], "\(texts)")
    precondition(trailing.status.code == 308 && trailing.headerFields[.location] == "/users/42")
    precondition(missing.status == .notFound)
    precondition(String(buffer: hello.body) == "Hello, world" && hello.headerFields[HTTPField.Name("X-Elapsed")!] != nil)
}
