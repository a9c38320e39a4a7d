/// The page at `/`: choose a name and a room, then talk.
enum ChatPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Chat</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
          #log { list-style: none; padding: .5rem; height: 20rem; overflow-y: auto; border: 1px solid #ccc; }
          #log .event { color: #555; font-style: italic; }
          form { display: flex; gap: .5rem; margin: .5rem 0; }
          form input { flex: 1; }
        </style>
        <h1>Chat</h1>
        <form id="join"><input id="name" placeholder="Your name" aria-label="Name"><input id="room" value="lobby" aria-label="Room"><button>Join</button></form>
        <ul id="log" aria-live="polite"></ul>
        <form id="say"><input id="text" placeholder="Message" aria-label="Message" autocomplete="off" disabled><button disabled>Send</button></form>
        <script>
        let socket = null;
        const log = document.getElementById("log");
        function show(text, className) {
          const item = document.createElement("li");
          item.textContent = text;
          item.className = className;
          log.appendChild(item);
          log.scrollTop = log.scrollHeight;
        }
        function enable(on) {
          for (const control of document.querySelectorAll("#say input, #say button")) control.disabled = !on;
        }
        document.getElementById("join").onsubmit = (event) => {
          event.preventDefault();
          if (socket) { socket.onclose = null; socket.close(); }
          log.replaceChildren();
          const room = encodeURIComponent(document.getElementById("room").value.trim() || "lobby");
          const name = encodeURIComponent(document.getElementById("name").value);
          const scheme = location.protocol === "https:" ? "wss:" : "ws:";
          socket = new WebSocket(`${scheme}//${location.host}/rooms/${room}?name=${name}`);
          socket.onopen = () => enable(true);
          socket.onclose = () => { enable(false); show("Disconnected", "event"); };
          socket.onmessage = (message) => {
            const event = JSON.parse(message.data);
            if (event.kind === "message") show(`${event.name}: ${event.text}`, "message");
            else show(`${event.name} ${event.kind === "joined" ? "joined" : "left"}`, "event");
          };
        };
        document.getElementById("say").onsubmit = (event) => {
          event.preventDefault();
          const input = document.getElementById("text");
          if (input.value && socket) socket.send(input.value);
          input.value = "";
        };
        </script>
        </html>
        """
}
