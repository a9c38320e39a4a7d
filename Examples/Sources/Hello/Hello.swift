// The smallest server: two routes, served on 127.0.0.1:8080 until Ctrl-C.
import AioHTTP

@main
enum Hello {
    /// The application, apart from `main` so that tests can serve it on a free port.
    static func makeApp() -> Application {
        let app = Application()
        app.router.get("/") { _ in .text("Hello, world") }
        app.router.get("/hello/{name}") { request in .text("Hello, \(request.matchInfo["name"] ?? "")") }
        return app
    }

    static func main() async throws {
        try await makeApp().run()
    }
}
