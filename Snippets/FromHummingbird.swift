// A Hummingbird 2 or Vapor 4 service's usual pieces in swift-aiohttp: a route with a path
// parameter, JSON in and out, errors thrown as HTTP exceptions (one a type of your own), and a
// group of routes behind an authentication middleware that hands the user to its handlers.
// Checked in process with AioTesting's `.router` mode, as HummingbirdTesting's.
import AioHTTP
import AioTesting
import Foundation

// snippet.routes
struct User: Codable, Sendable {
    var id: Int
    var name: String
}

// An error of your own answers with its status and text (HTTPResponseError, AbortError).
struct UserExists: HTTPException {
    let id: Int
    var status: HTTPResponse.Status { .conflict }
    var text: String? { "user \(id) exists" }
}

let users = [1: User(id: 1, name: "Ada")]
let app = Application()
// Hummingbird: router.get("/users/:id") { request, context in … context.parameters.require("id", as: Int.self) … }
// Vapor:       app.get("users", ":id") { req in … req.parameters.require("id", as: Int.self) … }
app.router.get("/users/{id:\\d+}") { request in
    guard let id = request.matchInfo["id"].flatMap(Int.init), let user = users[id] else {
        throw HTTPNotFound(text: "no such user")  // HTTPError(.notFound, message:), Abort(.notFound, reason:)
    }
    return try .json(user)
}
app.router.post("/users") { request in
    // request.decode(as:context:), req.content.decode(_:)
    let user = try await request.json(as: User.self)
    guard users[user.id] == nil else { throw UserExists(id: user.id) }
    return try .json(user, status: .created)
}
// snippet.group
// A group with a middleware of its own (RouterGroup.add(middleware:), app.grouped(_:)) is a
// sub-application. The middleware hands the user to the handlers in a task-local value, where
// hummingbird-auth puts it in the context (`context.identity`) and Vapor in `req.auth`.
enum Auth {
    @TaskLocal static var user: User?
}
let tokens = ["secret-ada": User(id: 1, name: "Ada")]
let api = Application(middlewares: [
    Middleware { request, next in
        guard let value = request.headers[.authorization], value.hasPrefix("Bearer "),
            let user = tokens[String(value.dropFirst(7))]
        else { throw HTTPUnauthorized(headers: [.wwwAuthenticate: "Bearer"]) }
        return try await Auth.$user.withValue(user) { try await next(request) }
    }
])
api.router.get("/me") { _ in .text("Hello, \(Auth.user?.name ?? "nobody")") }
try app.addSubapp("/api", api)
// snippet.end

// snippet.hide
try await app.test(.router) { client in
    let found = try await client.execute(.get, "/users/1")
    let ada = try JSONDecoder().decode(User.self, from: Data(found.text.utf8))
    let missing = try await client.execute(.get, "/users/2")
    let created = try await client.execute(.post, "/users", body: ByteBuffer(string: #"{"id":2,"name":"Grace"}"#))
    let taken = try await client.execute(.post, "/users", body: ByteBuffer(string: #"{"id":1,"name":"Ada"}"#))
    let anonymous = try await client.execute(.get, "/api/me")
    let me = try await client.execute(.get, "/api/me", headers: [.authorization: "Bearer secret-ada"])
    precondition(found.status == .ok && ada.name == "Ada")
    precondition(missing.status == .notFound && missing.text == "no such user", missing.text)
    precondition(created.status == .created)
    precondition(taken.status == .conflict && taken.text == "user 1 exists", taken.text)
    precondition(anonymous.status == .unauthorized && anonymous.headerFields[.wwwAuthenticate] == "Bearer")
    precondition(me.status == .ok && me.text == "Hello, Ada", me.text)
}
