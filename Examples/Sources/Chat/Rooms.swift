import AioHTTP
import Foundation
import NIOConcurrencyHelpers

/// Who is in which room. Members are kept by a number of their own, so a name can be shared.
final class Rooms: Sendable {
    private struct State {
        var rooms: [String: [Int: WebSocket]] = [:]
        var nextID = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Adds `ws` to `room`; the number it is known by there.
    func join(_ room: String, _ ws: WebSocket) -> Int {
        self.state.withLockedValue { state in
            state.nextID += 1
            state.rooms[room, default: [:]][state.nextID] = ws
            return state.nextID
        }
    }

    /// Removes a member; a room left empty is forgotten.
    func leave(_ room: String, _ id: Int) {
        self.state.withLockedValue { state in
            state.rooms[room]?[id] = nil
            if state.rooms[room]?.isEmpty == true { state.rooms[room] = nil }
        }
    }

    /// Sends `event` to every member of `room` at once, so a slow member holds up no other;
    /// a member whose connection has failed is skipped (its own handler removes it).
    func broadcast(_ event: ChatEvent, in room: String) async {
        guard let data = try? JSONEncoder().encode(event) else { return }
        let text = String(decoding: data, as: UTF8.self)
        let members = self.state.withLockedValue { Array(($0.rooms[room] ?? [:]).values) }
        await withTaskGroup { group in
            for member in members {
                group.addTask { try? await member.send(text: text) }
            }
        }
    }
}
