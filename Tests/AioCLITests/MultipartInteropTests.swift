import AioMultipart
import AioServer
import AioTesting
import AioTestSupport
import AioWeb
import Foundation
import NIOCore
import Testing

@testable import aio

@Suite("Multipart bodies with real peers")
struct MultipartInteropTests {
    /// requests, httpx and aiohttp upload forms to `/post`: fields, empty parts, non-ASCII and
    /// RFC 5987 file names, a 100 MiB file, nested multipart/mixed.
    @Test(.timeLimit(.minutes(3)))
    func pythonClientsUpload() async throws {
        let app = try Httpbin.makeApplication(staticDirectory: nil)
        try await withTestServer(responder: try ApplicationResponder(app)) { server in
            let result = try await ExternalProcess.run([
                try peerPython, repositoryRoot.appendingPathComponent("Tests/Interop/multipart_interop.py").path,
                "upload", "--url", "http://127.0.0.1:\(server.port)",
            ])
            #expect(result.status == 0, "\(result.output)\n\(result.error)")
            #expect(result.output.contains("6 multipart upload cases passed"), "\(result.output)")
        }
    }

    /// A body our writer produced, with the parts every parser must find.
    struct Body {
        var name: String
        var writer: MultipartWriter
        var parts: [(name: String?, filename: String?, payload: [UInt8])]
    }

    static func bodies() throws -> [Body] {
        var generator = SplitMix64(seed: 42)
        let random = (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }

        var form = FormData()
        form.add("title", "Zoë ✓ \"quoted\" \\ back")
        form.add("empty", "")
        form.add("doc", bytes: ByteBuffer(bytes: random), filename: "résumé 履歴書.bin", contentType: "application/octet-stream")
        form.add("nothing", bytes: ByteBuffer(), filename: "empty.txt", contentType: "text/plain")
        guard case .multipart(let formWriter) = try form.encode() else { throw MultipartError("not multipart") }
        let formBody = Body(name: "form", writer: formWriter, parts: [
            ("title", nil, Array("Zoë ✓ \"quoted\" \\ back".utf8)),
            ("empty", nil, []),
            ("doc", "résumé 履歴書.bin", random),
            ("nothing", "empty.txt", []),
        ])

        var encoded = try MultipartWriter(subtype: "form-data")
        let text = Array("line one\r\nline two = 2\r\n\tindented ✓ trailing space \r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 300)
        var base64 = BodyPartWriter(.bytes(ByteBuffer(bytes: random.prefix(100_000))), transferEncoding: .base64)
        try base64.setContentDisposition("form-data", parameters: [("name", "b64"), ("filename", "b.bin")])
        try encoded.append(base64)
        var quoted = BodyPartWriter(.bytes(ByteBuffer(bytes: text)), transferEncoding: .quotedPrintable)
        try quoted.setContentDisposition("form-data", parameters: [("name", "qp")])
        try encoded.append(quoted)
        let encodedBody = Body(name: "encoded", writer: encoded, parts: [
            ("b64", "b.bin", Array(random.prefix(100_000))),
            ("qp", nil, text),
        ])
        return [formBody, encodedBody]
    }

    /// Bodies from our writer parsed by Python's email package, python-multipart and an aiohttp
    /// server: same names, file names and bytes.
    @Test(.timeLimit(.minutes(2)))
    func pythonParsersReadOurBodies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aio-multipart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for body in try Self.bodies() {
            let bytes = try await body.writer.collect()
            try Data(bytes.readableBytesView).write(to: directory.appendingPathComponent("\(body.name).body"))
            var parts: [[String: Any]] = []
            for (index, part) in body.parts.enumerated() {
                let payload = "\(body.name)-\(index).bin"
                try Data(part.payload).write(to: directory.appendingPathComponent(payload))
                parts.append(["name": part.name ?? NSNull(), "filename": part.filename ?? NSNull(), "payload": payload])
            }
            let manifest: [String: Any] = ["body": "\(body.name).body", "contentType": body.writer.contentType, "parts": parts]
            try JSONSerialization.data(withJSONObject: manifest).write(to: directory.appendingPathComponent("\(body.name).json"))
        }
        let result = try await ExternalProcess.run([
            try peerPython, repositoryRoot.appendingPathComponent("Tests/Interop/multipart_interop.py").path,
            "parse", "--dir", directory.path,
        ])
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        #expect(result.output.contains("6 multipart parse cases passed"), "\(result.output)")
    }
}
