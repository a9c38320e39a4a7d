import AioHTTP
import Foundation
import NIOCore

/// `HelloAio PORT THREADS [pool|async|middleware|raw]`: `/` answers plain text, `/json` a small
/// JSON object, with synchronous handlers (closures without `await`, answered where the request
/// is parsed). With `async`, the same handlers typed as async ones (to measure the request loop);
/// with `middleware`, the synchronous handlers behind one middleware (aiohttp's path
/// normalization, as `aio serve` has); with `pool`, async handlers on Swift's shared pool instead
/// of the event loop (to measure the hop); with `raw`, no AioWeb at all: AioServer answers every
/// request with one prebuilt response (to measure the server and wire layers alone).
@main
enum HelloAio {
    struct Message: Codable { var message: String }

    /// The server runs in a detached task while the main thread waits on a semaphore, not in
    /// an async `main`: valgrind (callgrind counts instructions per request) cannot run a
    /// process whose main thread parks in libdispatch's `sigsuspend`.
    static func main() {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await self.serve()
            } catch {
                print("HelloAio: \(error)")
                exit(1)
            }
            done.signal()
        }
        done.wait()
    }

    static func serve() async throws {
        let arguments = CommandLine.arguments
        let port = Int(arguments[1])!
        let threads = Int(arguments[2])!
        let mode = arguments.count > 3 ? arguments[3] : "sync"
        if mode == "raw" {
            var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: port))
            configuration.eventLoopCount = threads
            try await HTTPServer(responder: Raw(), configuration: configuration).run()
            return
        }
        let app = Application(middlewares: mode == "middleware" ? [Middlewares.normalizePath()] : [])
        if mode == "sync" || mode == "middleware" {
            app.router.get("/") { _ in .text("Hello, World!") }
            app.router.get("/json") { _ in try .json(Message(message: "Hello, World!")) }
        } else {
            let text: Handler = { _ in .text("Hello, World!") }
            let json: Handler = { _ in try .json(Message(message: "Hello, World!")) }
            app.router.get("/", text)
            app.router.get("/json", json)
        }
        app.router.get("/ws") { request in
            try WebSocketResponse(configuration: WebSocketConfiguration(maxMessageSize: 1 << 20), compress: false).upgrade(request) { ws in
                for try await message in ws {
                    switch message.type {
                    case .text: try await ws.send(WSFrame(opcode: .text, payload: message.data))
                    case .binary: try await ws.send(binary: message.data)
                    default: continue
                    }
                }
            }
        }
        var configuration = ServerConfiguration(address: .hostname("127.0.0.1", port: port))
        configuration.eventLoopCount = threads
        configuration.runsHandlersOnEventLoop = mode != "pool"
        try await app.run(configuration: configuration)
    }
}

/// Answers every request on the spot with the same plain-text response.
struct Raw: HTTPResponder {
    static let response = Response.text("").httpResponse
    static let body = ByteBuffer(string: "Hello, World!")
    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {}
    func respondImmediately(to request: ServerRequest) -> ImmediateResponse? { .whole(Self.response, body: Self.body) }
}
