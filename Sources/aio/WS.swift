import AioHTTP
import ArgumentParser
import Foundation
import HTTPTypes
import NIOCore


/// `aio ws`: a WebSocket client on the terminal.
struct WS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ws",
        abstract: "Talk to a WebSocket: each line of standard input is sent, each message received is printed.",
        discussion: """
            Text messages are printed as they are, binary ones as their size and hex. At the end of \
            input the WebSocket is closed (1000) and the command waits for the server's close.
            """
    )

    @Argument(help: "ws://, wss://, http:// or https:// URL.")
    var url: String

    @Flag(help: "Send each line as a binary message.")
    var binary = false

    @Option(name: .customLong("header"), help: "An extra handshake header, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(name: .customLong("subprotocol"), help: "A subprotocol to offer (repeatable).")
    var subprotocols: [String] = []

    @Flag(help: "Do not offer permessage-deflate.")
    var noCompress = false

    func run() async throws {
        let fields = try HeaderOption.fields(self.headers)
        let binary = self.binary
        try await WebSocketClient.connect(self.url, protocols: self.subprotocols, headers: fields, compress: !self.noCompress) { ws in
            // Reading starts before sending can end in close(), so that the echoes of the last
            // lines are printed rather than dropped by the closing handshake.
            var messages = ws.makeAsyncIterator()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Lines are read on a thread of their own: readLine blocks.
                    let lines = AsyncStream<String> { continuation in
                        Thread.detachNewThread {
                            while let line = readLine() { continuation.yield(line) }
                            continuation.finish()
                        }
                    }
                    for await line in lines {
                        if binary {
                            try await ws.send(binary: ByteBuffer(string: line))
                        } else {
                            try await ws.send(text: line)
                        }
                    }
                    await ws.close()
                }
                while let message = try await messages.next() {
                    Self.print(message)
                }
                group.cancelAll()
            }
        }
    }

    /// One line per message, written at once so a reader of the pipe sees it.
    static func print(_ message: WSMessage) {
        let line: String
        switch message.type {
        case .text:
            line = message.text ?? ""
        case .binary:
            let hex = Hex.string(message.data.readableBytesView.prefix(64))
            line = "<binary \(message.data.readableBytes) bytes: \(hex)\(message.data.readableBytes > 64 ? "…" : "")>"
        default:
            line = "<\(message.type)>"
        }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
