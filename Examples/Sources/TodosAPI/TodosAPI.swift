// A JSON CRUD API over SQLite: validation, typed errors answered as problem details, and the
// OpenAPI document of the API served next to it at /openapi.yaml.
//
//     swift run TodosAPI            # serves 127.0.0.1:8080, keeps todos.sqlite in the current directory
//     curl -d '{"title":"Write the docs"}' localhost:8080/todos
import AioHTTP
import Foundation
import GRDB
import Logging

@main
enum TodosAPI {
    /// The application over `database`, apart from `main` so that tests can serve it on a free
    /// port with a database in memory.
    static func makeApp(database: DatabaseQueue) throws -> Application {
        let store = try TodoStore(database)
        let app = Application(middlewares: [APIError.middleware(logger: Logger(label: "todos"))], clientMaxSize: 64 << 10)
        let router = app.router

        router.get("/todos") { request in
            let query = request.query
            let completed = try query["completed"].map { value throws(APIError) -> Bool in
                guard let flag = Bool(value) else { throw .invalid(field: "completed", reason: "must be true or false") }
                return flag
            }
            let limit = try Self.integer(query["limit"], field: "limit", default: 50, in: 1...500)
            let offset = try Self.integer(query["offset"], field: "offset", default: 0, in: 0...Int.max)
            return try .json(try await store.list(completed: completed, limit: limit, offset: offset))
        }
        router.post("/todos") { request in
            let todo = try await store.insert(try await request.json(as: TodoPatch.self).created())
            var response = try Response.json(todo, status: .created)
            response.headers[.location] = "/todos/\(todo.id ?? 0)"
            return response
        }
        router.get("/todos/{id:\\d+}") { request in
            try .json(try await store.todo(try Self.id(request)))
        }
        router.patch("/todos/{id:\\d+}") { request in
            let patch = try await request.json(as: TodoPatch.self)
            return try .json(try await store.update(try Self.id(request), with: patch))
        }
        router.delete("/todos/{id:\\d+}") { request in
            try await store.delete(try Self.id(request))
            return Response(status: .noContent)
        }
        router.get("/openapi.yaml") { request in
            guard let path = Bundle.module.path(forResource: "openapi", ofType: "yaml") else { throw HTTPNotFound() }
            return try await .file(path, for: request, contentType: "application/yaml")
        }
        return app
    }

    /// The `id` of the path, which the route's pattern allows only digits for.
    static func id(_ request: Request) throws(APIError) -> Int64 {
        guard let id = request.matchInfo["id"].flatMap({ Int64($0) }) else {
            throw .invalid(field: "id", reason: "must be a 64-bit integer")
        }
        return id
    }

    /// A query parameter as an integer in `range`, `default` when absent.
    static func integer(_ value: String?, field: String, default: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let value else { return `default` }
        guard let number = Int(value), range.contains(number) else {
            throw .invalid(field: field, reason: "must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    static func main() async throws {
        let path = ProcessInfo.processInfo.environment["TODOS_DATABASE"] ?? "todos.sqlite"
        try await makeApp(database: try DatabaseQueue(path: path)).run()
    }
}
