import AioHTTP
import Testing

@testable import Hello

@Suite struct HelloTests {
    @Test func greetsOverASocket() async throws {
        try await withLiveApp(Hello.makeApp()) { session in
            let root = try await session.get("/")
            #expect(root.status == .ok)
            #expect(try await root.text() == "Hello, world")
            #expect(try await session.get("/hello/Ada").text() == "Hello, Ada")
            #expect(try await session.get("/hello/Ada%20Lovelace").text() == "Hello, Ada Lovelace")
            #expect(try await session.get("/goodbye").status == .notFound)
        }
    }
}
