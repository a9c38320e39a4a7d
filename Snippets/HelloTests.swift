// Testing an application without a socket: `.router` hands requests to it in process, `.live`
// starts a server on a free port of 127.0.0.1 and talks to it over TCP. Startup and cleanup
// signals run around the body either way.
import AioHTTP
import AioTesting

// snippet.hide
let app = Application()
app.router.get("/hello/{name}") { request in .text("Hello, \(request.matchInfo["name"] ?? "stranger")!") }
// snippet.show
try await app.test(.router) { client in
    let response = try await client.execute(.get, "/hello/swift")
    precondition(response.status == .ok)
    precondition(String(buffer: response.body) == "Hello, swift!")
}
