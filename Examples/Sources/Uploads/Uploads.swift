// Multipart uploads streamed to disk as they arrive: no file is held in memory, a file past the
// size limit is a 413 and leaves nothing behind. The page at / shows each upload's progress.
//
//     swift run Uploads              # serves 127.0.0.1:8080, stores files in ./uploads
//     curl -F file=@photo.jpg localhost:8080/upload
import AioHTTP
import Foundation
import _NIOFileSystem

@main
enum Uploads {
    /// The application, storing files in `directory` (made at startup if missing), each at
    /// most `maxFileSize` bytes.
    static func makeApp(directory: String, maxFileSize: Int = 256 << 20) throws -> Application {
        let store = UploadStore(directory: FilePath(directory), maxFileSize: maxFileSize)
        let app = Application()
        try app.onStartup.append { _ in try await store.createDirectory() }
        app.router.get("/") { _ in .html(UploadPage.html) }
        app.router.post("/upload") { request in
            let reader = try request.multipart()
            var files: [StoredFile] = []
            var fields: [String: String] = [:]
            do {
                while let next = try await reader.next() {
                    guard case .part(let part) = next else { throw HTTPBadRequest("Nested multipart bodies are not accepted") }
                    if part.filename != nil {
                        files.append(try await store.save(part))
                    } else if let name = part.name {
                        fields[name] = try await part.text(upTo: 4096)
                    }
                }
            } catch {
                // A failed request keeps none of its files, as if it had never been sent.
                for file in files { await store.remove(file.stored) }
                throw error
            }
            return try .json(UploadResult(files: files, fields: fields), status: .created)
        }
        app.router.get("/files/{name:[A-Za-z0-9._-]+}") { request in
            try await .file(store.path(of: request.matchInfo["name"] ?? "").string, for: request)
        }
        return app
    }

    static func main() async throws {
        let directory = ProcessInfo.processInfo.environment["UPLOADS_DIRECTORY"] ?? "uploads"
        try await makeApp(directory: directory).run()
    }
}

/// What `POST /upload` answers: the files stored and the form's other fields.
struct UploadResult: Codable, Sendable {
    var files: [StoredFile]
    var fields: [String: String]
}

/// A file as stored: the form field and file name it came with, the name it is kept under
/// (unique, and safe as a path component), its size and where to fetch it.
struct StoredFile: Codable, Sendable {
    var field: String?
    var filename: String
    var stored: String
    var size: Int
    var url: String

    init(field: String?, filename: String, stored: String, size: Int) {
        (self.field, self.filename, self.stored, self.size) = (field, filename, stored, size)
        self.url = "/files/\(stored)"
    }
}
