@testable import AioMultipart
import AioServer
import AioTestSupport
import AioTesting
import AioWeb
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// Forms count every byte against `clientMaxSize`, spooled uploads stay within a server-wide
/// budget, and their temporary files go away on every path.
@Suite("Upload safety")
struct UploadSafetyTests {
    /// A new, empty directory for one test's uploads.
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aio-uploads-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// A form with a text field and a file of `size` bytes (spooled past 256 KiB).
    static func form(fileSize size: Int) async throws -> (HTTPFields, ByteBuffer) {
        var form = FormData()
        form.add("title", "upload")
        form.add("file", bytes: ByteBuffer(repeating: 0x42, count: size), filename: "f.bin")
        guard case .multipart(let writer) = try form.encode() else { throw MultipartError("not multipart") }
        return ([.contentType: writer.contentType], try await writer.collect())
    }

    static func limits(_ directory: String, budget: SpoolBudget = SpoolBudget(limit: 1 << 30, minimumFreeSpace: 0)) -> MultipartConfiguration {
        MultipartConfiguration(temporaryDirectory: directory, spoolBudget: budget)
    }

    /// Waits until `condition` holds: what the server does with bytes it has been sent shows
    /// only there.
    static func until(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test(arguments: [TestMode.router, .live])
    func postCountsEveryByteAgainstClientMaxSize(_ mode: TestMode) async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let app = Application(clientMaxSize: 500_000, multipart: Self.limits(directory))
        app.router.post("/form") { request in .text("\(try await request.post().fileFields["file"]?.size ?? -1)") }
        app.router.post("/raised") { request in
            var request = request
            request.clientMaxSize = 2_000_000
            return .text("\(try await request.post().fileFields["file"]?.size ?? -1)")
        }
        let (headers, body) = try await Self.form(fileSize: 600_000)
        try await app.test(mode) { client in
            let refused = try await client.execute(.post, "/form", headers: headers, body: body)
            #expect(refused.status == .contentTooLarge)
            #expect(refused.text.contains("500000"))
            let raised = try await client.execute(.post, "/raised", headers: headers, body: body)
            #expect(raised.status == .ok)
            #expect(raised.text == "600000")
        }
        #expect(Self.entries(directory).isEmpty)
    }

    /// Uploads past the budget are refused with 503 while others hold it, and the budget comes
    /// back once their files are removed.
    @Test func spoolBudgetRefusesUploadsPastIt() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let budget = SpoolBudget(limit: 1_500_000, minimumFreeSpace: 0)
        let app = Application(clientMaxSize: 10 << 20, multipart: Self.limits(directory, budget: budget))
        let holding = Gate()
        let release = Gate()
        app.router.post("/hold") { request in
            let size = try await request.post().fileFields["file"]?.size ?? -1
            holding.open()
            await release.wait()
            return .text("\(size)")
        }
        app.router.post("/form") { request in .text("\(try await request.post().fileFields["file"]?.size ?? -1)") }
        let (headers, body) = try await Self.form(fileSize: 800_000)
        try await app.test(.live) { client in
            async let held = client.execute(.post, "/hold", headers: headers, body: body)
            await holding.wait()
            #expect(budget.inUse == 800_000)
            let refused = try await client.execute(.post, "/form", headers: headers, body: body)
            #expect(refused.status == .serviceUnavailable)
            #expect(budget.inUse == 800_000)
            release.open()
            #expect(try await held.text == "800000")
            try await Self.until { budget.inUse == 0 }
            #expect(try await client.execute(.post, "/form", headers: headers, body: body).text == "800000")
        }
        #expect(budget.inUse == 0)
        #expect(Self.entries(directory).isEmpty)
    }

    /// A handler that throws, a client that stops mid-upload or resets the connection, and a
    /// server shutting down with uploads in flight: no temporary file is left, nothing stays
    /// counted in the budget.
    @Test(.timeLimit(.minutes(1)))
    func temporaryFilesAreRemovedOnEveryPath() async throws {
        struct Boom: Error {}
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let budget = SpoolBudget(limit: 1 << 30, minimumFreeSpace: 0)
        let app = Application(clientMaxSize: 10 << 20, multipart: Self.limits(directory, budget: budget))
        app.router.post("/throw") { request in
            _ = try await request.post()
            throw Boom()
        }
        let holding = Gate()
        app.router.post("/hold") { request in
            _ = try await request.post()
            holding.open()
            await Gate().wait()
            return .text("cancelled")
        }
        app.router.post("/form") { request in .text("\(try await request.post().count)") }
        let (headers, body) = try await Self.form(fileSize: 3_000_000)
        var head = ByteBuffer()
        var request = HTTPRequest(method: .post, scheme: "http", authority: "t", path: "/form", headerFields: headers)
        request.headerFields[.contentLength] = "\(body.readableBytes)"
        try head.writeRequestHead(request)
        let firstHalf = body.getSlice(at: 0, length: body.readableBytes / 2)!

        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .milliseconds(200)
        let server = try await TestServer.start(responder: try ApplicationResponder(app), configuration: configuration)

        let thrown = try await server.connect().request(
            HTTPRequest(method: .post, scheme: "http", authority: "t", path: "/throw", headerFields: headers),
            body: body
        )
        #expect(thrown.status == .internalServerError)
        try await Self.until { budget.inUse == 0 }
        #expect(Self.entries(directory).isEmpty)

        for reset in [false, true] {
            let connection = try await server.connect()
            try await connection.send(head)
            try await connection.send(firstHalf)
            try await Self.until { budget.inUse > 0 }
            if reset { try await connection.reset() } else { try await connection.close() }
            try await Self.until { budget.inUse == 0 }
            #expect(Self.entries(directory).isEmpty, "\(reset ? "reset" : "closed") mid-upload")
        }

        // Shutdown: one handler holds a read form, another upload is half sent.
        let holder = try await server.connect()
        var holdRequest = request
        holdRequest.path = "/hold"
        async let held = holder.request(holdRequest, body: body)
        await holding.wait()
        let halfway = try await server.connect()
        try await halfway.send(head)
        try await halfway.send(firstHalf)
        try await Self.until { budget.inUse > 3_000_000 }
        try await server.shutdown()
        _ = try? await held
        #expect(budget.inUse == 0)
        #expect(Self.entries(directory).isEmpty, "after shutdown")
    }

    /// Uploads a killed process left behind are removed when an application starts; those of
    /// live processes stay.
    @Test func leftoversOfAKilledProcessAreRemovedAtStartup() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let gone = try RunningProcess(["true"])
        _ = await gone.waitForExit()
        let alive = ProcessInfo.processInfo.processIdentifier
        let host = UploadedForm.hostTag
        // Another host's (or container's) uploads in a shared directory are never taken for a
        // dead process's: its pids are not ours to look up.
        let kept = ["aio-upload-\(host)-\(alive)-def", "aio-upload-elsewhere-\(gone.pid)-ghi", "other-file"]
        for name in ["aio-upload-\(host)-\(gone.pid)-abc"] + kept {
            #expect(FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data("x".utf8)))
        }
        let app = Application(multipart: Self.limits(directory))
        try await app.test(.router) { _ in }
        #expect(Set(Self.entries(directory)) == Set(kept))
    }
}
