// A small JSON API: `Codable` bodies in and out, a path parameter, state shared safely between
// requests, errors as `HTTPException`s (each answers with its status and text), and a
// middleware around every request.
import AioHTTP
import NIOConcurrencyHelpers

struct Note: Codable, Sendable {
    var id: Int?
    var text: String
}

// snippet.store
let notes = NIOLockedValueBox<[Int: Note]>([:])
// snippet.routes
let app = Application(middlewares: [
    Middleware { request, next in
        var response = try await next(request)
        response.headers[.cacheControl] = "no-store"
        return response
    }
])
app.router.post("/notes") { request in
    var note = try await request.json(as: Note.self)
    guard !note.text.isEmpty else { throw HTTPUnprocessableEntity(text: "a note needs text") }
    note.id = notes.withLockedValue { notes in
        let id = notes.count + 1
        notes[id] = Note(id: id, text: note.text)
        return id
    }
    return try .json(note, status: .created)
}
app.router.get("/notes/{id}") { request in
    guard let id = request.matchInfo["id"].flatMap(Int.init),
        let note = notes.withLockedValue({ $0[id] })
    else { throw HTTPNotFound() }
    return try .json(note)
}
// snippet.end
try await app.run()
