import AioHTTP
import Foundation
import Testing

@testable import Uploads

@Suite struct UploadsTests {
    /// A directory of its own for each test, removed afterwards.
    func withDirectory<Result>(_ body: (String) async throws -> Result) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory)
    }

    /// Bytes that differ from one offset to the next, so a chunk lost or repeated shows.
    func pattern(_ count: Int) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
    }

    @Test func storesEachFileAndServesItBack() async throws {
        try await withDirectory { directory in
            try await withLiveApp(try Uploads.makeApp(directory: directory)) { session in
                let large = self.pattern(3 << 20)
                var form = FormData()
                form.add("title", "holiday")
                form.add("file", bytes: large, filename: "photo.jpg", contentType: "image/jpeg")
                form.add("file", bytes: ByteBuffer(string: "notes"), filename: "../../etc/notes.txt", contentType: "text/plain")
                let response = try await session.post("/upload", body: .form(form))
                #expect(response.status == .created)
                let result = try await response.json(as: UploadResult.self)
                #expect(result.fields == ["title": "holiday"])
                #expect(result.files.map(\.filename) == ["photo.jpg", "../../etc/notes.txt"])
                #expect(result.files.map(\.size) == [large.readableBytes, 5])
                // The stored names stay inside the directory, whatever the client called the file.
                #expect(result.files.allSatisfy { !$0.stored.contains("/") && !$0.stored.hasPrefix(".") })
                #expect(result.files[1].stored.hasSuffix("-notes.txt"))
                #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory)) == Set(result.files.map(\.stored)))

                let download = try await session.get(result.files[0].url)
                #expect(download.status == .ok)
                #expect(try await download.read() == large)
                let range = try await session.get(result.files[0].url, headers: [.range: "bytes=100-199"])
                #expect(range.status == .partialContent)
                #expect(try await range.read() == large.getSlice(at: 100, length: 100))
            }
        }
    }

    @Test func aFileTooLargeIsRefusedAndLeavesNothingBehind() async throws {
        try await withDirectory { directory in
            try await withLiveApp(try Uploads.makeApp(directory: directory, maxFileSize: 64 << 10)) { session in
                var form = FormData()
                form.add("file", bytes: ByteBuffer(string: "small"), filename: "small.txt")
                form.add("file", bytes: self.pattern(256 << 10), filename: "large.bin")
                let response = try await session.post("/upload", body: .form(form))
                #expect(response.status == .contentTooLarge)
                #expect(try await response.text().contains("large.bin"))
                // The small file stored before the large one was removed with it.
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
            }
        }
    }

    @Test func refusesWhatIsNotMultipartAndServesItsPage() async throws {
        try await withDirectory { directory in
            try await withLiveApp(try Uploads.makeApp(directory: directory)) { session in
                #expect(try await session.post("/upload", body: .text("hello")).status == .badRequest)
                #expect(try await session.get("/files/missing.txt").status == .notFound)
                let page = try await session.get("/")
                #expect(page.contentType == "text/html")
                #expect(try await page.text().contains("upload.onprogress"))
            }
        }
    }

    @Test(arguments: [
        ("photo.jpg", "photo.jpg"),
        ("../../etc/passwd", "passwd"),
        (#"C:\Users\ada\report.pdf"#, "report.pdf"),
        (".hidden", "hidden"),
        ("été 2026.txt", "_t__2026.txt"),
        ("..", "upload"),
        ("", "upload"),
    ])
    func safeNames(filename: String, expected: String) {
        #expect(UploadStore.safeName(filename) == expected)
    }
}
