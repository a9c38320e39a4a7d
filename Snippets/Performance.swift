// The same route three ways: a synchronous handler, an async one, and a synchronous handler
// behind a middleware. The hidden part asks each application what the server would do with a
// bodiless GET (answer it on the spot, or hand it to the connection's request loop), then
// checks the answers in process with AioTesting. Runs to completion; no socket.
import AioHTTP
import AioTesting

struct Greeting: Codable {
    var message: String
}

// snippet.handlers
// No `await` in the closures: the router's `SynchronousHandler` overloads. Bodiless requests
// are answered where the server parsed them, without a task.
let fast = Application()
fast.router.get("/") { _ in .text("Hello, World!") }
fast.router.get("/json") { _ in try .json(Greeting(message: "Hello, World!")) }
// The same handler typed `Handler`: answered by the connection's request loop, a Swift task.
let typedAsync = Application()
let hello: Handler = { _ in .text("Hello, World!") }
typedAsync.router.get("/", hello)
// snippet.middleware
// A middleware that never suspends keeps synchronous handlers on the spot...
let withSynchronous = Application(middlewares: [
    .synchronous(response: { _, response in response.headers[.cacheControl] = "no-store" }),
])
withSynchronous.router.get("/") { _ in .text("Hello, World!") }
// ...one that awaits `next` sends every request of the application through the request loop.
let withAsync = Application(middlewares: [
    Middleware { request, next in try await next(request) },
])
withAsync.router.get("/") { _ in .text("Hello, World!") }
// snippet.end

// snippet.hide
// A receiver of a request or response signal also needs the request loop.
let withSignal = Application()
withSignal.router.get("/") { _ in .text("Hello, World!") }
try withSignal.onResponsePrepare.append { _, _ in }

/// How the server would answer a bodiless `GET path`: "text" (the string written into the
/// head's buffer), "whole" (a body buffer), "later", or "request loop" (not on the spot).
func onTheSpot(_ app: Application, _ path: String) throws -> String {
    let request = HTTPRequest(method: .get, scheme: "http", authority: "test", path: path)
    let answer = try ApplicationResponder(app).respondImmediately(to: ServerRequest(head: HTTPRequestHead(request: request)))
    switch answer {
    case .some(.text): return "text"
    case .some(.whole): return "whole"
    case .some(.later): return "later"
    case .none: return "request loop"
    }
}

let fastText = try onTheSpot(fast, "/")
let fastJSON = try onTheSpot(fast, "/json")
let fastMissing = try onTheSpot(fast, "/missing")
let asyncText = try onTheSpot(typedAsync, "/")
let synchronousMiddlewareText = try onTheSpot(withSynchronous, "/")
let asyncMiddlewareText = try onTheSpot(withAsync, "/")
let signalText = try onTheSpot(withSignal, "/")
precondition(fastText == "text" && fastJSON == "whole" && fastMissing == "whole")
precondition(asyncText == "request loop")
precondition(synchronousMiddlewareText == "text" && asyncMiddlewareText == "request loop")
precondition(signalText == "request loop")

// Every way answers the same.
for app in [fast, typedAsync, withSynchronous, withAsync, withSignal] {
    try await app.test(.router) { client in
        let response = try await client.execute(.get, "/")
        precondition(response.status == .ok && response.text == "Hello, World!")
    }
}
try await fast.test(.router) { client in
    let json = try await client.execute(.get, "/json")
    precondition(json.text == #"{"message":"Hello, World!"}"#)
    precondition(json.headerFields[.contentType] == "application/json")
}
try await withSynchronous.test(.router) { client in
    let response = try await client.execute(.get, "/")
    precondition(response.headerFields[.cacheControl] == "no-store")
}
