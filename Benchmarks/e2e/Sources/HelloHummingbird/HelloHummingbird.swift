import Foundation
import Hummingbird
import NIOPosix

/// `HelloHummingbird PORT THREADS`: the same two routes on Hummingbird.
@main
enum HelloHummingbird {
    struct Message: ResponseEncodable { var message: String }

    static func main() async throws {
        let arguments = CommandLine.arguments
        let port = Int(arguments[1])!
        let threads = Int(arguments[2])!
        let router = Router()
        router.get("/") { _, _ in "Hello, World!" }
        router.get("/json") { _, _ in Message(message: "Hello, World!") }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            eventLoopGroupProvider: .shared(group)
        )
        try await app.runService()
    }
}
