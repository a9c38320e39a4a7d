import AioMultipart
import Foundation
import HTTPTypes
import NIOCore
import Testing

struct UploadedFormTests {
    static func form(big: Int) throws -> MultipartWriter {
        var nested = try MultipartWriter(subtype: "mixed")
        try nested.append(text: "one", disposition: ("file", [("filename", "1.txt")]))
        try nested.append(text: "two", disposition: ("file", [("filename", "2.txt")]))
        var writer = try MultipartWriter(subtype: "form-data")
        try writer.append(text: "Zoë", disposition: ("form-data", [("name", "title")]))
        try writer.append(bytes: ByteBuffer(string: "small"), disposition: ("form-data", [("name", "doc"), ("filename", "s.txt")]))
        try writer.append(
            bytes: ByteBuffer(repeating: 7, count: big),
            disposition: ("form-data", [("name", "doc"), ("filename", "big.bin")]),
            transferEncoding: .base64
        )
        try writer.append(multipart: nested, disposition: ("form-data", [("name", "files")]))
        return writer
    }

    static func reader(_ writer: MultipartWriter, _ configuration: MultipartConfiguration = MultipartConfiguration()) async throws -> MultipartReader {
        let body = Array(try await writer.collect().readableBytesView)
        return try MultipartReader(headers: [.contentType: writer.contentType], body: Pieces(body, cuts: Array(stride(from: 0, to: body.count, by: 7000))), configuration: configuration)
    }

    @Test func fieldsFilesAndSpooling() async throws {
        let form = try await Self.reader(Self.form(big: 600_000)).readForm()
        #expect(form.fields["title"]?.text == "Zoë")
        let docs = form.fields.all("doc").compactMap(\.file)
        #expect(docs.map(\.filename) == ["s.txt", "big.bin"])
        #expect(docs[0].storage == .memory(ByteBuffer(string: "small")))
        #expect(docs[1].size == 600_000)
        guard case .temporaryFile(let path) = docs[1].storage else { Issue.record("not spooled"); return }
        #expect(form.temporaryFiles == [path])
        // Readable by this user alone.
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 7, count: 600_000))
        #expect(try await docs[1].read(upTo: 1 << 20) == ByteBuffer(repeating: 7, count: 600_000))
        #expect(form.fields.all("files").compactMap(\.file).map(\.filename) == ["1.txt", "2.txt"])
        await form.removeTemporaryFiles()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func limitsRemoveWhatWasSpooled() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aio-limits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = MultipartConfiguration(temporaryDirectory: directory)
        configuration.maxFileSize = 400_000
        let error = await #expect(throws: MultipartError.self) {
            try await Self.reader(Self.form(big: 600_000), configuration).readForm()
        }
        #expect(error?.status == .contentTooLarge)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)

        configuration = MultipartConfiguration()
        configuration.maxFieldSize = 2
        await #expect(throws: MultipartError.self) { try await Self.reader(Self.form(big: 10), configuration).readForm() }
    }
}
