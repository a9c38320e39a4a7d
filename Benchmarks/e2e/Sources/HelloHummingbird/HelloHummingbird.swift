import Foundation
import Hummingbird
import HummingbirdWebSocket
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
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("/ws") { _, _ in
            .upgrade()
        } onUpgrade: { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                switch message {
                case .text(let text): try await outbound.write(.text(text))
                case .binary(let bytes): try await outbound.write(.binary(bytes))
                }
            }
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter, configuration: .init(ws: .init(maxFrameSize: 1 << 20))),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            eventLoopGroupProvider: .shared(group)
        )
        try await app.runService()
    }
}
