// The client: one `ClientSession` shares its connection pool, cookies and defaults between
// requests; `withClientSession` closes it when the body returns.
import AioHTTP

struct Echo: Decodable {
    var url: String
}

try await withClientSession(baseURL: "http://127.0.0.1:8080") { session in
    let page = try await session.get("/get", params: [("q", "swift")])
    print(page.status, try await page.json(as: Echo.self).url)
    let created = try await session.post("/post", body: try .json(["text": "hello"]))
    print(created.status)
}
