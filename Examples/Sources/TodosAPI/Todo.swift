import GRDB

/// A to-do item: a row of the `todo` table and the JSON the API sends.
struct Todo: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    var id: Int64?
    var title: String
    var completed: Bool

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }
}

/// What a client sends to create or change a to-do: every field optional, so one type serves
/// `POST` (where `title` is required) and `PATCH` (where only the fields sent change).
struct TodoPatch: Codable, Sendable {
    var title: String?
    var completed: Bool?

    /// The longest title accepted, in characters.
    static let maxTitleLength = 200

    /// `title` trimmed, or an error naming what is wrong with it.
    static func validTitle(_ title: String) throws(APIError) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid(field: "title", reason: "must not be empty") }
        guard trimmed.count <= Self.maxTitleLength else {
            throw .invalid(field: "title", reason: "must be at most \(Self.maxTitleLength) characters")
        }
        return trimmed
    }

    /// The to-do this creates.
    func created() throws(APIError) -> Todo {
        guard let title = self.title else { throw .invalid(field: "title", reason: "is required") }
        return Todo(id: nil, title: try Self.validTitle(title), completed: self.completed ?? false)
    }

    /// `todo` with this patch's fields applied.
    func applied(to todo: Todo) throws(APIError) -> Todo {
        var todo = todo
        if let title = self.title { todo.title = try Self.validTitle(title) }
        if let completed = self.completed { todo.completed = completed }
        return todo
    }
}
