import Foundation
import GreetAPI
import Hummingbird
import NIOPosix
import OpenAPIHummingbird

/// `GreetHummingbird PORT THREADS`: the same service on swift-openapi-hummingbird, and the same
/// hand-written route on Hummingbird.
@main
enum GreetHummingbird {
    struct Greeting: ResponseEncodable { var message: String }

    static func main() {
        runParkingMainThread(serve)
    }

    @Sendable static func serve() async throws {
        let arguments = CommandLine.arguments
        let router = Router()
        try Greeter().registerHandlers(on: router, serverURL: URL(string: "/")!)
        router.get("/plain/greet/{name}") { request, context in
            Greeting(message: Greeter.message(name: context.parameters.get("name") ?? "", greeting: request.uri.queryParameters.get("greeting")))
        }
        router.get("/") { _, _ in "Hello, World!" }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: Int(arguments[1])!)),
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: Int(arguments[2])!))
        )
        try await app.runService()
    }
}
