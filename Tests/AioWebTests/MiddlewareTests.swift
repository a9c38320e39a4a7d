import AioTesting
import AioWeb
import AioStreams
import HTTPTypes
import NIOCore
import Testing

@Suite("Built-in middlewares")
struct MiddlewareTests {
    @Test func normalizePath() async throws {
        let app = Application(middlewares: [Middlewares.normalizePath()])
        app.router.get("/docs/") { _ in .text("docs") }
        app.router.get("/a/b") { _ in .text("ab") }
        try await app.test(.router) { client in
            let slash = try await client.execute(.get, "/docs?x=1")
            #expect(slash.status.code == 308)
            #expect(slash.headerFields[.location] == "/docs/?x=1")
            let merged = try await client.execute(.get, "//a///b")
            #expect(merged.headerFields[.location] == "/a/b")
            #expect(try await client.execute(.get, "/docs/").text == "docs")
            #expect(try await client.execute(.get, "/nowhere").status == .notFound)
        }
    }

    static let text = String(repeating: "compress me, please! ", count: 200)

    func makeApp() -> Application {
        let app = Application(middlewares: [Middlewares.compression()])
        app.router.get("/text") { _ in .text(Self.text) }
        app.router.get("/small") { _ in .text("tiny") }
        app.router.get("/png") { _ in .bytes(ByteBuffer(repeating: 1, count: 5000), contentType: "image/png") }
        app.router.get("/stream") { _ in
            .stream(headers: [.contentType: "text/plain", .eTag: "\"v1\""]) { writer in
                for _ in 0..<50 { try await writer.write(ByteBuffer(string: Self.text)) }
            }
        }
        return app
    }

    @Test("compression", arguments: [TestMode.router, .live])
    func compression(_ mode: TestMode) async throws {
        try await self.makeApp().test(mode) { client in
            let gzip = try await client.execute(.get, "/text", headers: [.acceptEncoding: "gzip, deflate"])
            #expect(gzip.headerFields[.contentEncoding] == "gzip")
            #expect(gzip.headerFields[.vary] == "Accept-Encoding")
            #expect(gzip.body.readableBytes < Self.text.utf8.count / 10)
            #expect(String(buffer: try StreamDecompressor.decompress(gzip.body, format: .gzip, limit: 1 << 20)) == Self.text)

            let deflate = try await client.execute(.get, "/text", headers: [.acceptEncoding: "gzip;q=0.5, deflate;q=0.9"])
            #expect(deflate.headerFields[.contentEncoding] == "deflate")
            #expect(String(buffer: try StreamDecompressor.decompress(deflate.body, format: .zlib, limit: 1 << 20)) == Self.text)

            #expect(try await client.execute(.get, "/text", headers: [.acceptEncoding: "br"]).headerFields[.contentEncoding] == nil)
            #expect(try await client.execute(.get, "/text", headers: [.acceptEncoding: "gzip;q=0"]).headerFields[.contentEncoding] == nil)
            #expect(try await client.execute(.get, "/text").headerFields[.contentEncoding] == nil)
            #expect(try await client.execute(.get, "/small", headers: [.acceptEncoding: "gzip"]).headerFields[.contentEncoding] == nil)
            #expect(try await client.execute(.get, "/png", headers: [.acceptEncoding: "gzip"]).headerFields[.contentEncoding] == nil)

            let stream = try await client.execute(.get, "/stream", headers: [.acceptEncoding: "*"])
            #expect(stream.headerFields[.contentEncoding] == "gzip")
            #expect(stream.headerFields[.eTag] == "W/\"v1\"")
            let expanded = try StreamDecompressor.decompress(stream.body, format: .gzip, limit: 1 << 24)
            #expect(expanded.readableBytes == Self.text.utf8.count * 50)
        }
    }

    @Test func errorPages() async throws {
        let app = Application(middlewares: [
            Middlewares.errorPages([
                404: { request, _ in .html("<h1>No \(HTML.escape(request.path))</h1>") },
                500: { _, error in .text("sorry: \(error.code)") },
            ])
        ])
        app.router.get("/returned") { _ in Response(status: .internalServerError) }
        app.router.get("/teapot") { _ in throw HTTPConflict() }
        try await app.test(.router) { client in
            let missing = try await client.execute(.get, "/<missing>")
            #expect(missing.status == .notFound)
            #expect(missing.text == "<h1>No /&lt;missing&gt;</h1>")
            let returned = try await client.execute(.get, "/returned")
            #expect(returned.status == .internalServerError)
            #expect(returned.text == "sorry: 500")
            #expect(try await client.execute(.get, "/teapot").status == .conflict)
        }
    }
}
