import AioHTTP
import AioOpenAPI
import Foundation
import GreetAPI

/// `GreetAio PORT THREADS`: the greeting service's generated code on AioOpenAPI's transport
/// at `/greet/{name}`, and the same answer from a hand-written route at `/plain/greet/{name}`
/// (what the generated code costs on top of the framework).
@main
enum GreetAio {
    struct Greeting: Codable { var message: String }

    static func main() {
        runParkingMainThread(serve)
    }

    @Sendable static func serve() async throws {
        let arguments = CommandLine.arguments
        let app = Application()
        try Greeter().registerHandlers(on: app.router, serverURL: URL(string: "/")!)
        app.router.get("/plain/greet/{name}") { request in
            try .json(Greeting(message: Greeter.message(name: request.matchInfo["name"] ?? "", greeting: request.query["greeting"])))
        }
        app.router.get("/") { _ in .text("Hello, World!") }
        var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: Int(arguments[1])!))
        configuration.eventLoopCount = Int(arguments[2])!
        try await app.run(configuration: configuration)
    }
}
