import AioMultipart
import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import Testing

@Suite("Multipart request bodies: post() and multipart()")
struct MultipartRequestTests {
    static func upload(big: Int) async throws -> (HTTPFields, ByteBuffer) {
        var form = FormData()
        form.add("title", "Zoë")
        form.add("tag", "a")
        form.add("tag", "b")
        form.add("doc", bytes: ByteBuffer(repeating: 0x41, count: big), filename: "big €.bin", contentType: "application/pdf")
        guard case .multipart(let writer) = try form.encode() else { throw MultipartError("not multipart") }
        return ([.contentType: writer.contentType], try await writer.collect())
    }

    @Test(arguments: [TestMode.router, .live])
    func postGivesFieldsAndFiles(_ mode: TestMode) async throws {
        let app = Application()
        let spooled = NIOLockedValueBox<[String]>([])
        app.router.post("/upload") { request in
            let fields = try await request.post()
            let again = try await request.post()
            #expect(again.count == fields.count)
            guard let file = fields["doc"]?.file else { throw MultipartError("no file") }
            if case .temporaryFile(let path) = file.storage {
                spooled.withLockedValue { $0.append(path) }
                #expect(FileManager.default.fileExists(atPath: path))
            }
            let text = fields.textFields
            return .text("\(text["title"] ?? "-") \(text.all("tag")) \(file.filename) \(file.contentType) \(file.size)")
        }
        let (headers, body) = try await Self.upload(big: 700_000)
        try await app.test(mode) { client in
            let response = try await client.execute(.post, "/upload", headers: headers, body: body)
            #expect(response.status == .ok)
            #expect(response.text == #"Zoë ["a", "b"] big €.bin application/pdf 700000"#)
        }
        let paths = spooled.withLockedValue { $0 }
        #expect(paths.count == 1)
        if mode == .router {
            // Removed once the response was complete.
            #expect(paths.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        }
    }

    @Test(arguments: [TestMode.router, .live])
    func multipartStreamsParts(_ mode: TestMode) async throws {
        let app = Application()
        app.router.post("/parts") { request in
            let reader = try request.multipart()
            var summary: [String] = []
            while let part = try await reader.next() {
                guard case .part(let part) = part else { continue }
                var size = 0
                for try await chunk in part { size += chunk.readableBytes }
                summary.append("\(part.name ?? "?")=\(size)")
            }
            return .text(summary.joined(separator: ","))
        }
        let (headers, body) = try await Self.upload(big: 3_000_000)
        try await app.test(mode) { client in
            let response = try await client.execute(.post, "/parts", headers: headers, body: body)
            #expect(response.text == "title=4,tag=1,tag=1,doc=3000000")
        }
    }

    @Test(arguments: [TestMode.router, .live])
    func malformedAndOversizedBodiesAreClientErrors(_ mode: TestMode) async throws {
        var limits = MultipartConfiguration()
        limits.maxFieldSize = 10
        let app = Application(multipart: limits)
        app.router.post("/form") { request in .text("\(try await request.post().count)") }
        try await app.test(mode) { client in
            let truncated = try await client.execute(
                .post, "/form", headers: [.contentType: "multipart/form-data; boundary=b"], body: ByteBuffer(string: "--b\r\n\r\nno end")
            )
            #expect(truncated.status == .badRequest)
            #expect(truncated.text.contains("closing boundary"))
            let noBoundary = try await client.execute(.post, "/form", headers: [.contentType: "multipart/form-data"], body: ByteBuffer(string: "x"))
            #expect(noBoundary.status == .badRequest)
            var form = FormData()
            form.add("long", String(repeating: "x", count: 100))
            form.add("file", bytes: ByteBuffer(string: "f"))
            guard case .multipart(let writer) = try form.encode() else { return }
            let tooLong = try await client.execute(.post, "/form", headers: [.contentType: writer.contentType], body: try await writer.collect())
            #expect(tooLong.status == .contentTooLarge)
        }
    }

    @Test func urlencodedPostStillWorks() async throws {
        let app = Application()
        app.router.post("/f") { request in .text(try await request.post().textFields.pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&")) }
        try await app.test(.router) { client in
            let response = try await client.execute(
                .post, "/f", headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "a=1&b=%C3%A9")
            )
            #expect(response.text == "a=1&b=é")
        }
    }
}
