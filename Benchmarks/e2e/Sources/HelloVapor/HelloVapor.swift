import Vapor

/// `HelloVapor PORT THREADS`: the same two routes on Vapor.
@main
enum HelloVapor {
    struct Message: Content { var message: String }

    static func main() async throws {
        let arguments = CommandLine.arguments
        let port = Int(arguments[1])!
        let threads = Int(arguments[2])!
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var environment = Environment.production
        environment.arguments = ["vapor"]
        let app = try await Application.make(environment, .shared(group))
        app.logger.logLevel = .error
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        app.get { _ in "Hello, World!" }
        app.get("json") { _ in Message(message: "Hello, World!") }
        app.webSocket("ws", maxFrameSize: .init(integerLiteral: 1 << 20)) { _, ws in
            ws.onText { ws, text in ws.send(text) }
            ws.onBinary { ws, bytes in ws.send(bytes) }
        }
        try await app.execute()
        try await app.asyncShutdown()
    }
}
