// The client: one `ClientSession` shares its connection pool, cookies and defaults between
// requests; `withClientSession` closes it when the body returns. Run it while `NotesAPI` serves.
import AioHTTP

struct Note: Codable {
    var id: Int?
    var text: String
}

try await withClientSession(baseURL: "http://127.0.0.1:8080") { session in
    let created = try await session.post("/notes", body: try .json(Note(text: "buy milk")))
    let note = try await created.json(as: Note.self)
    print(created.status, note.id ?? 0)
    let read = try await session.request(.get, "/notes/\(note.id ?? 0)", raiseForStatus: .always)
    print(try await read.json(as: Note.self).text)
}
