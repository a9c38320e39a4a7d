import AioClient
import AioOpenAPI
import AioTestSupport
import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIRuntime
import Synchronization
import Testing

@Suite("OpenAPI transports")
struct OpenAPITransportTests {
    /// How the requests to the service were framed, as the server saw them.
    final class Framing: Sendable {
        private let seen = Mutex<[String: String]>([:])

        /// Records, per path, "length N", "chunked" or "none".
        var middleware: Middleware {
            Middleware { request, next in
                let framing =
                    if let length = request.headers[.contentLength] { "length \(length)" } else if request.headers[.transferEncoding] != nil { "chunked" } else { "none" }
                self.seen.withLock { $0[request.pathAndQuery] = framing }
                return try await next(request)
            }
        }

        func of(_ path: String) -> String? { self.seen.withLock { $0[path] } }
    }

    /// Runs `body` with the service registered under `/api` on a live server, a session, and a
    /// generated client over that session.
    func withService(
        _ body: (_ port: Int, _ client: Client, _ session: ClientSession, _ framing: Framing) async throws -> Void
    ) async throws {
        let framing = Framing()
        let app = Application(middlewares: [framing.middleware])
        try NotesService().registerHandlers(on: app.router, serverURL: try Servers.Server1.url())
        try await withTestServer(responder: try ApplicationResponder(app)) { server in
            try await withClientSession { session in
                let client = Client(serverURL: URL(string: "http://127.0.0.1:\(server.port)/api")!, transport: ClientSessionTransport(session))
                try await body(server.port, client, session, framing)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["plain", "a b", "x/y", "100%", "café ☕", "semi;colon", "a+b", "?#"])
    func pathParametersArriveAsTheyWereSent(name: String) async throws {
        try await self.withService { _, client, _, _ in
            let output = try await client.greet(path: .init(name: name), query: .init(greeting: "Hi & bye"))
            #expect(try output.ok.body.json.message == "Hi & bye, \(name)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func knownLengthsAreDeclaredOthersChunked() async throws {
        try await self.withService { port, client, session, framing in
            let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            // Known length: Content-Length both ways.
            let stored = try await client.putFile(path: .init(name: "report"), body: .binary(HTTPBody(bytes)))
            #expect(try stored.created.body.json == .init(name: "report", size: Int64(bytes.count)))
            #expect(framing.of("/api/files/report.zip") == "length \(bytes.count)")
            let fetched = try await client.getFile(path: .init(name: "report"))
            let fetchedBody = try fetched.ok.body.application_zip
            #expect(fetchedBody.length == .known(Int64(bytes.count)))
            #expect(try await Array(collecting: fetchedBody, upTo: 1 << 20) == bytes)

            // Unknown length: chunked both ways, the bytes intact.
            let pieces = AsyncStream<ArraySlice<UInt8>> { continuation in
                for start in stride(from: 0, to: bytes.count, by: 7_000) {
                    continuation.yield(bytes[start..<min(start + 7_000, bytes.count)])
                }
                continuation.finish()
            }
            let streamed = try await client.putFile(path: .init(name: "live-report"), body: .binary(HTTPBody(pieces, length: .unknown)))
            #expect(try streamed.created.body.json.size == Int64(bytes.count))
            #expect(framing.of("/api/files/live-report.zip") == "chunked")
            let live = try await session.get("http://127.0.0.1:\(port)/api/files/live-report.zip")
            #expect(live.headers[.transferEncoding] == "chunked")
            #expect(live.headers[.contentLength] == nil)
            #expect(Array(try await live.read().readableBytesView) == bytes)
            let liveFetched = try await client.getFile(path: .init(name: "live-report"))
            #expect(try await Array(collecting: try liveFetched.ok.body.application_zip, upTo: 1 << 20) == bytes)

            // A HEAD-less 404 and a file of a name with a slash in it.
            #expect(try await client.getFile(path: .init(name: "missing")).notFound == .init())
            _ = try await client.putFile(path: .init(name: "a/b"), body: .binary(HTTPBody("x")))
            #expect(try await Array(collecting: try client.getFile(path: .init(name: "a/b")).ok.body.application_zip, upTo: 10) == Array("x".utf8))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func badInputIsRefusedWithAReason() async throws {
        try await self.withService { port, client, session, _ in
            let created = try await client.createNote(body: .json(.init(title: "first", body: "text")))
            let note = try created.created.body.json
            #expect(try await client.getNote(path: .init(id: note.id)).ok.body.json == note)
            #expect(try await client.getNote(path: .init(id: 999)).notFound.body.json.reason == "no note 999")

            // The service's own refusal.
            let empty = try await client.createNote(body: .json(.init(title: "")))
            #expect(try await String(collecting: try empty.badRequest.body.plainText, upTo: 1000) == "title must have 1 to 100 characters")

            // What the generated code cannot decode: 400 (415 for a wrong type) with a reason.
            let base = "http://127.0.0.1:\(port)/api"
            let notANumber = try await session.get(base + "/notes/abc")
            #expect(notANumber.status == .badRequest)
            #expect(try await notANumber.text().isEmpty == false)
            let malformed = try await session.post(base + "/notes", body: .bytes(ByteBuffer(string: "{\"title\": 5"), contentType: "application/json"))
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "text/plain; charset=utf-8")
            let wrongType = try await session.post(base + "/notes", body: .bytes(ByteBuffer(string: "title=x"), contentType: "application/x-www-form-urlencoded"))
            #expect(wrongType.status == .unsupportedMediaType)

            // Outside the server URL's prefix nothing is routed.
            #expect(try await session.get("http://127.0.0.1:\(port)/notes/1").status == .notFound)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func curlTalksToTheService() async throws {
        try await self.withService { port, _, _, _ in
            let base = "http://127.0.0.1:\(port)/api"
            let greeting = try await ExternalProcess.run(["curl", "-sS", "--max-time", "10", base + "/greet/x%2Fy%20%C3%A9"])
            #expect(greeting.status == 0)
            let decoded = try JSONDecoder().decode(Components.Schemas.Greeting.self, from: Data(greeting.output.utf8))
            #expect(decoded.message == "Hello, x/y é")

            let directory = try scratchDirectory("openapi-curl")
            let file = directory.appendingPathComponent("upload.bin")
            try Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0) }).write(to: file)
            let put = try await ExternalProcess.run(["curl", "-sS", "--max-time", "10", "-T", file.path, "-H", "Content-Type: application/octet-stream", base + "/files/up.zip"])
            #expect(put.output.contains("\"size\" : 50000"))
            let get = try await ExternalProcess.run(["curl", "-sS", "--max-time", "10", "-o", directory.appendingPathComponent("back.bin").path, "-w", "%{http_code}", base + "/files/up.zip"])
            #expect(get.output == "200")
            #expect(try Data(contentsOf: directory.appendingPathComponent("back.bin")) == Data(contentsOf: file))
        }
    }

    /// schemathesis generates requests from the document, valid and invalid, and checks every
    /// answer against it: no 5xx, statuses, content types and bodies as documented, invalid
    /// input refused.
    @Test(.timeLimit(.minutes(3)))
    func schemathesisFindsNothing() async throws {
        try await self.withService { port, _, _, _ in
            let document = repositoryRoot.appendingPathComponent("Tests/AioOpenAPITests/openapi.yaml").path
            let result = try await ExternalProcess.run(
                [try peerProgram("schemathesis"), "run", document, "--url", "http://127.0.0.1:\(port)/api",
                 "--checks", "all", "--max-examples", "60", "--seed", "7", "--request-timeout", "10", "--no-color"],
                directory: try scratchDirectory("schemathesis")  // where it keeps its cache
            )
            if result.status != 0 { print(result.output, result.error) }
            #expect(result.status == 0)
        }
    }
}
