import AioHTTP
import Foundation
import Testing

@testable import Chat

@Suite struct ChatTests {
    /// The next event a member is sent.
    func event(_ ws: WebSocket) async throws -> ChatEvent {
        let message = try await ws.receive()
        return try JSONDecoder().decode(ChatEvent.self, from: Data(try #require(message.text).utf8))
    }

    @Test func membersOfARoomHearEachOtherAndNoOneElse() async throws {
        try await withLiveApp(Chat.makeApp()) { session in
            try await session.wsConnect("/rooms/lobby?name=ada") { ada in
                // Each member's own "joined" says the server has put it in the room.
                #expect(try await self.event(ada) == ChatEvent(kind: .joined, name: "ada"))
                try await session.wsConnect("/rooms/lobby?name=alan") { alan in
                    #expect(try await self.event(alan) == ChatEvent(kind: .joined, name: "alan"))
                    #expect(try await self.event(ada) == ChatEvent(kind: .joined, name: "alan"))
                    try await session.wsConnect("/rooms/garden?name=grace") { grace in
                        #expect(try await self.event(grace) == ChatEvent(kind: .joined, name: "grace"))
                        try await ada.send(text: "hello")
                        #expect(try await self.event(ada) == ChatEvent(kind: .message, name: "ada", text: "hello"))
                        #expect(try await self.event(alan) == ChatEvent(kind: .message, name: "ada", text: "hello"))
                        // Grace, in another room, hears only her own message.
                        try await grace.send(text: "anyone?")
                        #expect(try await self.event(grace) == ChatEvent(kind: .message, name: "grace", text: "anyone?"))
                    }
                }
                #expect(try await self.event(ada) == ChatEvent(kind: .left, name: "alan"))
            }
        }
    }

    @Test func aMessageTooLargeClosesOnlyItsSender() async throws {
        try await withLiveApp(Chat.makeApp()) { session in
            try await session.wsConnect("/rooms/lobby") { listener in
                #expect(try await self.event(listener) == ChatEvent(kind: .joined, name: "anonymous"))
                try await session.wsConnect("/rooms/lobby?name=loud") { loud in
                    #expect(try await self.event(loud).kind == .joined)
                    #expect(try await self.event(listener) == ChatEvent(kind: .joined, name: "loud"))
                    try await loud.send(text: String(repeating: "a", count: Chat.maxMessageSize + 1))
                    let closing = try await loud.receive()
                    #expect(closing.type == .close)
                    #expect(closing.closeCode == .messageTooBig)
                }
                #expect(try await self.event(listener) == ChatEvent(kind: .left, name: "loud"))
            }
        }
    }

    @Test(arguments: [(nil, "anonymous"), ("  ", "anonymous"), (" ada ", "ada"), (String(repeating: "n", count: 40), String(repeating: "n", count: 32))])
    func displayNames(name: String?, expected: String) {
        #expect(Chat.displayName(name) == expected)
    }
}
