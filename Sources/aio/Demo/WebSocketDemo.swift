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

    /// `/chat`: join a room, send and read its messages. The page marks the messages it sent
    /// (they come back from the server in the order sent) and says whether it is connected.
    static let chatPage = DemoPage.html(
        title: "Chat",
        lead: "Everyone in a room gets every message sent to it, over one WebSocket each.",
        body: """
            <section class="card">
             <form class="room" id="rooms"><label>Room <input id="room" value="lobby" autocomplete="off"></label><button>Join</button></form>
             <p class="status" id="status" role="status">Connecting…</p>
             <ul class="messages" id="messages" aria-live="polite"></ul>
             <form id="form" class="composer"><input id="text" autocomplete="off" placeholder="Write a message" aria-label="Message" disabled><button disabled id="send">Send</button></form>
            </section>
            """,
        script: """
            let socket = null;
            let pending = [];
            const messages = document.getElementById("messages");
            const status = document.getElementById("status");
            function show(text, kind) {
              const item = document.createElement("li");
              item.textContent = text;
              if (kind) item.className = kind;
              messages.appendChild(item);
              messages.scrollTop = messages.scrollHeight;
            }
            function connected(yes, room) {
              for (const id of ["text", "send"]) document.getElementById(id).disabled = !yes;
              document.documentElement.dataset.state = yes ? "joined" : "closed";
              status.className = yes ? "status done" : "status";
              status.textContent = yes ? `In room “${room}”` : "Not connected: join a room";
            }
            function join() {
              if (socket) { socket.onclose = null; socket.close(); }
              const room = document.getElementById("room").value.trim() || "lobby";
              const scheme = location.protocol === "https:" ? "wss:" : "ws:";
              socket = new WebSocket(`${scheme}//${location.host}/chat/ws/${encodeURIComponent(room)}`);
              pending = [];
              messages.replaceChildren();
              status.className = "status";
              status.textContent = `Joining “${room}”…`;
              socket.onopen = () => { connected(true, room); show(`You joined ${room}`, "note"); };
              socket.onclose = () => connected(false, room);
              socket.onmessage = (event) => {
                const mine = pending.length > 0 && pending[0] === event.data;
                if (mine) pending.shift();
                show(event.data, mine ? "mine" : "");
              };
            }
            document.getElementById("rooms").onsubmit = (event) => { event.preventDefault(); join(); };
            document.getElementById("form").onsubmit = (event) => {
              event.preventDefault();
              const input = document.getElementById("text");
              if (socket && socket.readyState === WebSocket.OPEN && input.value) {
                pending.push(input.value);
                socket.send(input.value);
              }
              input.value = "";
            };
            join();
            """
    )
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
