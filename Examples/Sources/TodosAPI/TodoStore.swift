import GRDB

/// The to-dos, kept in SQLite through GRDB. A `DatabaseQueue` serialises writes and is safe
/// to share between requests; its async methods run SQLite off the event loops.
struct TodoStore: Sendable {
    let database: DatabaseQueue

    /// A store on `database`, its schema brought up to date.
    init(_ database: DatabaseQueue) throws {
        self.database = database
        var migrator = DatabaseMigrator()
        migrator.registerMigration("create todo") { db in
            try db.create(table: "todo") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("title", .text).notNull()
                table.column("completed", .boolean).notNull().defaults(to: false)
            }
        }
        try migrator.migrate(database)
    }

    /// A page of to-dos in creation order, only the completed (or open) ones when asked.
    func list(completed: Bool?, limit: Int, offset: Int) async throws -> [Todo] {
        try await self.database.read { db in
            var request = Todo.order(Column("id"))
            if let completed { request = request.filter(Column("completed") == completed) }
            return try request.limit(limit, offset: offset).fetchAll(db)
        }
    }

    func todo(_ id: Int64) async throws -> Todo {
        let todo = try await self.database.read { db in try Todo.fetchOne(db, key: id) }
        guard let todo else { throw APIError.notFound(id: id) }
        return todo
    }

    func insert(_ todo: Todo) async throws -> Todo {
        try await self.database.write { db in
            var todo = todo
            try todo.insert(db)
            return todo
        }
    }

    /// Applies `patch` to the to-do `id` in one transaction, so two patches cannot interleave.
    func update(_ id: Int64, with patch: TodoPatch) async throws -> Todo {
        try await self.database.write { db in
            guard let todo = try Todo.fetchOne(db, key: id) else { throw APIError.notFound(id: id) }
            let changed = try patch.applied(to: todo)
            try changed.update(db)
            return changed
        }
    }

    func delete(_ id: Int64) async throws {
        let deleted = try await self.database.write { db in try Todo.deleteOne(db, key: id) }
        guard deleted else { throw APIError.notFound(id: id) }
    }
}
