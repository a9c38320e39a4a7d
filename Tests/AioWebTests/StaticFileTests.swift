import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// A temporary tree: root/{hello.txt, big.bin, sub/inner.txt, link-out -> ../secret.txt, link-in -> hello.txt}
/// next to secret.txt outside the root.
struct StaticTree {
    let base: URL
    var root: String { self.base.appendingPathComponent("root").path }

    init() throws {
        self.base = FileManager.default.temporaryDirectory.appendingPathComponent("aio-static-\(UUID().uuidString)")
        let files = FileManager.default
        let root = self.base.appendingPathComponent("root")
        try files.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "Hello, static world".write(to: root.appendingPathComponent("hello.txt"), atomically: true, encoding: .utf8)
        try Data((0..<300_000).map { UInt8($0 % 251) }).write(to: root.appendingPathComponent("big.bin"))
        try "inner".write(to: root.appendingPathComponent("sub/inner file.txt"), atomically: true, encoding: .utf8)
        try "secret".write(to: self.base.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try files.createSymbolicLink(atPath: root.appendingPathComponent("link-out").path, withDestinationPath: "../secret.txt")
        try files.createSymbolicLink(atPath: root.appendingPathComponent("link-in").path, withDestinationPath: "hello.txt")
    }

    func remove() { try? FileManager.default.removeItem(at: self.base) }
}

@Suite("Static files")
struct StaticFileTests {
    static let traversal: [String] = [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E/secret.txt",
        "/static/.%2e/secret.txt",
        "/static/..%2fsecret.txt",
        "/static/..%2Fsecret.txt",
        "/static/sub/..%5c..%5csecret.txt",
        "/static/..\\secret.txt",
        "/static/%00",
        "/static/hello.txt%00.png",
        "/static/%2fetc%2fpasswd",
        "/static/link-out",
        "/static/sub/../../secret.txt",
    ]

    @Test("no traversal vector escapes the root", arguments: traversal)
    func traversalIsRefused(_ path: String) async throws {
        let tree = try StaticTree()
        defer { tree.remove() }
        let app = Application()
        app.router.addStatic("/static", directory: tree.root)
        try await app.test(.live) { client in
            let response = try await client.execute(.get, path)
            #expect(response.status == .forbidden || response.status == .notFound || response.status == .badRequest, "\(path): \(response.status)")
            #expect(!response.text.contains("secret"))
        }
    }

    @Test("files, ranges and conditions", arguments: [TestMode.router, .live])
    func serving(_ mode: TestMode) async throws {
        let tree = try StaticTree()
        defer { tree.remove() }
        let app = Application()
        app.router.addStatic("/static", directory: tree.root, showIndex: true)
        try await app.test(mode) { client in
            let hello = try await client.execute(.get, "/static/hello.txt")
            #expect(hello.status == .ok)
            #expect(hello.text == "Hello, static world")
            #expect(hello.headerFields[.contentType] == "text/plain; charset=utf-8")
            #expect(hello.headerFields[.acceptRanges] == "bytes")
            let etag = try #require(hello.headerFields[.eTag])
            let modified = try #require(hello.headerFields[.lastModified])

            #expect(try await client.execute(.get, "/static//etc/passwd").status == .notFound)
            #expect(try await client.execute(.get, "/static/sub/inner%20file.txt").text == "inner")
            #expect(try await client.execute(.get, "/static/link-in").text == "Hello, static world")
            let big = try await client.execute(.get, "/static/big.bin")
            #expect(big.body.readableBytes == 300_000)
            #expect(Array(big.body.readableBytesView.prefix(3)) == [0, 1, 2])
            let head = try await client.execute(.head, "/static/big.bin")
            #expect(head.headerFields[.contentLength] == "300000")
            #expect(head.body.readableBytes == 0)

            let range = try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=0-4"])
            #expect(range.status == .partialContent)
            #expect(range.text == "Hello")
            #expect(range.headerFields[.contentRange] == "bytes 0-4/19")
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=-5"]).text == "world")
            let multi = try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=0-1,7-12"])
            #expect(multi.status == .partialContent)
            let type = try #require(multi.headerFields[.contentType])
            #expect(type.hasPrefix("multipart/byteranges; boundary="))
            let boundary = String(type.dropFirst("multipart/byteranges; boundary=".count))
            #expect(multi.text == "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/19\r\n\r\nHe\r\n"
                + "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 7-12/19\r\n\r\nstatic\r\n--\(boundary)--\r\n")
            #expect(multi.headerFields[.contentLength] == String(multi.body.readableBytes))
            let unsatisfiable = try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=100-200"])
            #expect(unsatisfiable.status.code == 416)
            #expect(unsatisfiable.headerFields[.contentRange] == "bytes */19")
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.range: "lines=1-2"]).status == .ok)
            // The unit's name in any case (RFC 9110 §14.1); digits of other scripts are not
            // HTTP's; ranges overlapping past the file's size are ignored, as nginx does, so that
            // a small request cannot make the server send the file many times over.
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.range: "Bytes=0-4"]).text == "Hello")
            let otherDigits = try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=\u{663}-5"])
            #expect(otherDigits.status == .ok && otherDigits.text == "Hello, static world")
            let repeated = try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=0-18,0-18"])
            #expect(repeated.status == .ok && repeated.text == "Hello, static world")
            let overlapping = try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=0-4,2-6"])
            #expect(overlapping.status == .partialContent)

            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.ifNoneMatch: "W/\(etag)"]).status == .notModified)
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.ifNoneMatch: "\"other\""]).status == .ok)
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.ifModifiedSince: modified]).status == .notModified)
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.ifMatch: "\"other\""]).status.code == 412)
            let staleRange = try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=0-4", .ifRange: "\"stale\""])
            #expect(staleRange.status == .ok)
            #expect(staleRange.text == "Hello, static world")
            #expect(try await client.execute(.get, "/static/hello.txt", headers: [.range: "bytes=0-4", .ifRange: etag]).status == .partialContent)

            let index = try await client.execute(.get, "/static/sub/")
            #expect(index.status == .ok)
            #expect(index.text.contains("<a href=\"/static/sub/inner%20file.txt\">inner file.txt</a>"))
            #expect(try await client.execute(.get, "/static/missing.txt").status == .notFound)
        }
    }

    @Test func indexAndSymlinkPolicies() async throws {
        let tree = try StaticTree()
        defer { tree.remove() }
        let strict = Application()
        strict.router.addStatic("/static", directory: tree.root)
        try await strict.test(.router) { client in
            let directory = try await client.execute(.get, "/static/sub")
            #expect(directory.status == .forbidden)
            #expect(try await client.execute(.get, "/static/link-out").status == .forbidden)
        }
        let lenient = Application()
        lenient.router.addStatic("/static", directory: tree.root, followSymlinks: true)
        try await lenient.test(.router) { client in
            let outside = try await client.execute(.get, "/static/link-out")
            #expect(outside.text == "secret")
        }
    }
}
