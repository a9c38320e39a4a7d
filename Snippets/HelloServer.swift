// A server in ten lines: routes with handlers, then `run()` serves on 127.0.0.1:8080 until
// SIGINT or SIGTERM, finishing the requests in flight.
import AioHTTP

let app = Application()
app.router.get("/") { _ in .text("Hello, world!") }
app.router.get("/hello/{name}") { request in
    .text("Hello, \(request.matchInfo["name"] ?? "stranger")!")
}
try await app.run(configuration: ServerConfiguration(address: .hostname("127.0.0.1", port: 8080)))
