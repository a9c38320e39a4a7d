// Chat rooms over WebSocket: everyone in a room gets every message sent to it, and hears who
// joins and who leaves. The page at / joins a room.
//
//     swift run Chat                 # serves 127.0.0.1:8080
//     aio ws 'ws://localhost:8080/rooms/lobby?name=ada'
import AioHTTP
import Foundation

@main
enum Chat {
    /// The longest message accepted, in bytes: a larger one closes the connection with 1009.
    static let maxMessageSize = 4096

    /// The application, apart from `main` so that tests can serve it on a free port.
    static func makeApp() -> Application {
        let rooms = Rooms()
        let app = Application()
        app.router.get("/") { _ in .html(ChatPage.html) }
        app.router.get("/rooms/{room}") { request in
            let room = request.matchInfo["room"] ?? "lobby"
            let name = Self.displayName(request.query["name"])
            let configuration = WebSocketConfiguration(maxMessageSize: Self.maxMessageSize, heartbeat: .seconds(30))
            return try WebSocketResponse(configuration: configuration).upgrade(request) { ws in
                let member = rooms.join(room, ws)
                await rooms.broadcast(ChatEvent(kind: .joined, name: name), in: room)
                do {
                    for try await message in ws {
                        guard let text = message.text else { continue }
                        await rooms.broadcast(ChatEvent(kind: .message, name: name, text: text), in: room)
                    }
                } catch {
                    // The peer went away or broke the protocol: it leaves the room all the same.
                }
                rooms.leave(room, member)
                await rooms.broadcast(ChatEvent(kind: .left, name: name), in: room)
            }
        }
        return app
    }

    /// The name a member chose, trimmed to 32 characters; "anonymous" when none.
    static func displayName(_ name: String?) -> String {
        let trimmed = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "anonymous" : String(trimmed.prefix(32))
    }

    static func main() async throws {
        try await makeApp().run()
    }
}

/// What members of a room are sent, as JSON text messages.
struct ChatEvent: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        case joined, message, left
    }

    var kind: Kind
    var name: String
    var text: String?
}
