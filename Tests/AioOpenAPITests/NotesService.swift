import Foundation
import OpenAPIRuntime
import Synchronization

/// The service of `openapi.yaml`, implemented against the generated code: greetings, files kept
/// in memory, notes with the document's constraints checked.
final class NotesService: APIProtocol, Sendable {
    private struct State {
        var files: [String: [UInt8]] = [:]
        var notes: [Int64: Components.Schemas.Note] = [:]
    }

    private let state = Mutex(State())

    /// The largest file kept.
    static let fileLimit = 1 << 20

    func greet(_ input: Operations.greet.Input) async throws -> Operations.greet.Output {
        let greeting = input.query.greeting ?? "Hello"
        guard greeting.count <= 40 else { return .badRequest(Self.refusal("greeting is longer than 40 characters")) }
        return .ok(.init(body: .json(.init(message: "\(greeting), \(input.path.name)"))))
    }

    func putFile(_ input: Operations.putFile.Input) async throws -> Operations.putFile.Output {
        guard case .binary(let body) = input.body else { return .badRequest(Self.refusal("expected bytes")) }
        let bytes: ArraySlice<UInt8>
        do {
            bytes = try await ArraySlice(collecting: body, upTo: Self.fileLimit)
        } catch {
            return .badRequest(Self.refusal("files are at most \(Self.fileLimit) bytes"))
        }
        let name = input.path.name
        self.state.withLock { $0.files[name] = Array(bytes) }
        return .created(.init(body: .json(.init(name: name, size: Int64(bytes.count)))))
    }

    /// A file's bytes; those of a name starting with `live-` are sent as they are produced, their
    /// length unknown, in 1 KiB pieces.
    func getFile(_ input: Operations.getFile.Input) async throws -> Operations.getFile.Output {
        let name = input.path.name
        guard let bytes = self.state.withLock({ $0.files[name] }) else { return .notFound(.init()) }
        guard name.hasPrefix("live-") else { return .ok(.init(body: .application_zip(HTTPBody(bytes)))) }
        let pieces = AsyncStream<ArraySlice<UInt8>> { continuation in
            var start = 0
            while start < bytes.count {
                continuation.yield(bytes[start..<min(start + 1024, bytes.count)])
                start += 1024
            }
            continuation.finish()
        }
        return .ok(.init(body: .application_zip(HTTPBody(pieces, length: .unknown))))
    }

    func createNote(_ input: Operations.createNote.Input) async throws -> Operations.createNote.Output {
        guard case .json(let new) = input.body else { return .badRequest(Self.refusal("expected JSON")) }
        guard (1...100).contains(new.title.count) else { return .badRequest(Self.refusal("title must have 1 to 100 characters")) }
        let note = self.state.withLock { state in
            let note = Components.Schemas.Note(id: Int64(state.notes.count + 1), title: new.title, body: new.body)
            state.notes[note.id] = note
            return note
        }
        return .created(.init(body: .json(note)))
    }

    func getNote(_ input: Operations.getNote.Input) async throws -> Operations.getNote.Output {
        guard let note = self.state.withLock({ $0.notes[input.path.id] }) else {
            return .notFound(.init(body: .json(.init(reason: "no note \(input.path.id)"))))
        }
        return .ok(.init(body: .json(note)))
    }

    private static func refusal(_ reason: String) -> Components.Responses.BadRequest {
        .init(body: .plainText(HTTPBody(reason)))
    }
}
