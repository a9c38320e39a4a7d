import AioHTTP
import Foundation
import GRDB
import Testing

@testable import TodosAPI

@Suite struct TodosAPITests {
    /// The API over a database in memory, served on a free port.
    func withAPI(_ body: (ClientSession) async throws -> Void) async throws {
        try await withLiveApp(try TodosAPI.makeApp(database: try DatabaseQueue()), body)
    }

    @Test func createsReadsUpdatesAndDeletes() async throws {
        try await withAPI { session in
            let created = try await session.post("/todos", body: .json(TodoPatch(title: "  Write the docs  ")))
            #expect(created.status == .created)
            let todo = try await created.json(as: Todo.self)
            #expect(todo.title == "Write the docs" && !todo.completed)
            let id = try #require(todo.id)
            #expect(created.headers[.location] == "/todos/\(id)")

            #expect(try await session.get("/todos/\(id)").json(as: Todo.self).title == "Write the docs")
            let patched = try await session.patch("/todos/\(id)", body: .json(TodoPatch(completed: true)))
            #expect(try await patched.json(as: Todo.self).completed)
            // A PATCH changes only what it sends, and what it changes is kept.
            let read = try await session.get("/todos/\(id)").json(as: Todo.self)
            #expect(read.title == "Write the docs" && read.completed)

            #expect(try await session.delete("/todos/\(id)").status == .noContent)
            let gone = try await session.get("/todos/\(id)")
            #expect(gone.status == .notFound)
            #expect(try await gone.json(as: APIError.Problem.self, contentType: "application/problem+json").detail == "no to-do has id \(id)")
            #expect(try await session.delete("/todos/\(id)").status == .notFound)
        }
    }

    @Test func listsPagesAndFilters() async throws {
        try await withAPI { session in
            for index in 1...5 {
                _ = try await session.post("/todos", body: .json(TodoPatch(title: "todo \(index)", completed: index.isMultiple(of: 2))))
            }
            let all = try await session.get("/todos").json(as: [Todo].self)
            #expect(all.map(\.title) == (1...5).map { "todo \($0)" })
            let page = try await session.get("/todos", params: [("limit", "2"), ("offset", "1")]).json(as: [Todo].self)
            #expect(page.map(\.title) == ["todo 2", "todo 3"])
            let done = try await session.get("/todos", params: [("completed", "true")]).json(as: [Todo].self)
            #expect(done.map(\.title) == ["todo 2", "todo 4"])
        }
    }

    @Test(arguments: [
        ("{}", "title", "title is required"),
        (#"{"title":"   "}"#, "title", "title must not be empty"),
        (#"{"title":"\#(String(repeating: "x", count: 201))"}"#, "title", "title must be at most 200 characters"),
    ])
    func refusesInvalidTodosWithProblemDetails(body: String, field: String, detail: String) async throws {
        try await withAPI { session in
            let response = try await session.post("/todos", body: .text(body, contentType: "application/json"))
            #expect(response.status == .unprocessableContent)
            #expect(response.contentType == "application/problem+json")
            let problem = try await response.json(as: APIError.Problem.self, contentType: "application/problem+json")
            #expect(problem.status == 422 && problem.field == field && problem.detail == detail)
            // Nothing was stored.
            #expect(try await session.get("/todos").json(as: [Todo].self).isEmpty)
        }
    }

    @Test func answersTheFrameworksErrorsAsProblemDetailsToo() async throws {
        try await withAPI { session in
            let malformed = try await session.post("/todos", body: .text("{\"title\":", contentType: "application/json"))
            #expect(malformed.status == .badRequest)
            #expect(try await malformed.json(as: APIError.Problem.self, contentType: "application/problem+json").status == 400)

            let tooLarge = try await session.post("/todos", body: .json(TodoPatch(title: String(repeating: "x", count: 70_000))))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.contentType == "application/problem+json")

            let notAllowed = try await session.put("/todos/1", body: .json(TodoPatch(title: "x")))
            #expect(notAllowed.status == .methodNotAllowed)
            #expect(notAllowed.headers[.allow]?.contains("PATCH") == true)
            #expect(notAllowed.contentType == "application/problem+json")

            let badQuery = try await session.get("/todos", params: [("limit", "0")])
            #expect(try await badQuery.json(as: APIError.Problem.self, contentType: "application/problem+json").field == "limit")
            #expect(try await session.get("/todos/abc").status == .notFound)
        }
    }

    /// Every operation of the OpenAPI document served at /openapi.yaml is one the application
    /// answers, so the document cannot drift from the routes unnoticed.
    @Test func servesAnOpenAPIDocumentMatchingItsRoutes() async throws {
        let app = try TodosAPI.makeApp(database: try DatabaseQueue())
        let document = try await withLiveApp(app) { session in
            let response = try await session.get("/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.contentType == "application/yaml")
            return try await response.text()
        }
        var operations: [(HTTPRequest.Method, String)] = []
        var path: String?
        for line in document.split(separator: "\n") {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
                let method = HTTPRequest.Method(String(line.dropFirst(4).dropLast()).uppercased())
            {
                if method.rawValue != "PARAMETERS" { operations.append((method, path)) }
            } else if !line.hasPrefix(" ") {
                path = nil
            }
        }
        #expect(operations.count == 6)
        for (method, path) in operations {
            let concrete = path.replacingOccurrences(of: "{id}", with: "1")
            #expect(app.resolves(method, path: concrete), "\(method) \(path) is documented but not routed")
        }
    }
}
