import AioHTTP
import NIOConcurrencyHelpers
import NIOCore

/// The WebSocket endpoints of `aio serve`: `/ws` echoes, `/chat` is a page whose visitors
/// talk in rooms over `/chat/ws/{room}`.
enum WebSocketDemo {
    /// Large enough for the Autobahn testsuite's 16 MiB messages; a heartbeat drops peers that
    /// vanished without closing.
    static let echoConfiguration = WebSocketConfiguration(maxMessageSize: 20 << 20, heartbeat: .seconds(30))

    static func register(_ router: Router) {
        router.get("/ws") { request in
            try WebSocketResponse(configuration: Self.echoConfiguration).upgrade(request) { ws in
                for try await message in ws {
                    switch message.type {
                    case .text: try await ws.send(WSFrame(opcode: .text, payload: message.data))
                    case .binary: try await ws.send(binary: message.data)
                    default: continue
                    }
                }
            }
        }
        let rooms = ChatRooms()
        router.get("/chat") { _ in .html(chatPage) }
        router.get("/chat/ws/{room}") { request in
            let room = request.matchInfo["room"] ?? "lobby"
            return try WebSocketResponse().upgrade(request) { ws in
                let member = rooms.join(room, ws)
                defer { rooms.leave(room, member) }
                for try await message in ws {
                    guard let text = message.text else { continue }
                    for peer in rooms.members(of: room) {
                        try? await peer.send(text: text)
                    }
                }
            }
        }
    }

    static let chatPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>aio chat</title></head>
        <body>
        <h1>aio chat</h1>
        <p>Room <input id="room" value="lobby"> <button id="join">Join</button></p>
        <ul id="messages"></ul>
        <form id="form"><input id="text" autocomplete="off" disabled> <button disabled id="send">Send</button></form>
        <script>
        let socket = null;
        const messages = document.getElementById("messages");
        function join() {
          if (socket) socket.close();
          const scheme = location.protocol === "https:" ? "wss:" : "ws:";
          const room = encodeURIComponent(document.getElementById("room").value);
          socket = new WebSocket(`${scheme}//${location.host}/chat/ws/${room}`);
          socket.onopen = () => { for (const id of ["text", "send"]) document.getElementById(id).disabled = false; document.title = "joined"; };
          socket.onmessage = (event) => { const item = document.createElement("li"); item.textContent = event.data; messages.appendChild(item); };
        }
        document.getElementById("join").onclick = join;
        document.getElementById("form").onsubmit = (event) => {
          event.preventDefault();
          const input = document.getElementById("text");
          if (socket && input.value) socket.send(input.value);
          input.value = "";
        };
        join();
        </script>
        </body></html>
        """
}

/// Who is in which chat room.
final class ChatRooms: Sendable {
    private let rooms = NIOLockedValueBox<[String: [Int: WebSocket]]>([:])
    private let nextID = NIOLockedValueBox(0)

    /// Adds `ws` to `room`; the number it is known by there.
    func join(_ room: String, _ ws: WebSocket) -> Int {
        let id = self.nextID.withLockedValue { id in
            id += 1
            return id
        }
        self.rooms.withLockedValue { $0[room, default: [:]][id] = ws }
        return id
    }

    func leave(_ room: String, _ id: Int) {
        self.rooms.withLockedValue { rooms in
            rooms[room]?[id] = nil
            if rooms[room]?.isEmpty == true { rooms[room] = nil }
        }
    }

    func members(of room: String) -> [WebSocket] {
        self.rooms.withLockedValue { Array(($0[room] ?? [:]).values) }
    }
}
