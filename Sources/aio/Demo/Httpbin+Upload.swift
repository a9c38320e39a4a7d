import AioHTTP
import Crypto
import Foundation

extension Httpbin {
    /// `GET /upload`: a form posting files to `/post`. `POST /upload`: the streaming
    /// counterpart of `/post`, reading parts with `request.multipart()` as they arrive and
    /// answering with each part's name, file name, size and SHA-256; nothing touches the disk.
    static func registerUpload(_ router: Router) {
        router.get("/upload") { _ in .html(Assets.upload) }
        router.post("/upload") { request in
            let reader = try request.multipart()
            var parts: [JSONValue] = []
            try await Self.digest(reader, into: &parts)
            return .httpbin(.object(["parts": .array(parts)]))
        }
    }

    /// Every leaf part of `reader`, nested ones included, hashed as it streams.
    private static func digest(_ reader: MultipartReader, into parts: inout [JSONValue]) async throws {
        while let next = try await reader.next() {
            switch next {
            case .multipart(let nested):
                try await Self.digest(nested, into: &parts)
            case .part(let part):
                var hash = SHA256()
                var size = 0
                for try await chunk in part {
                    size += chunk.readableBytes
                    chunk.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
                }
                parts.append(
                    .object([
                        "name": part.name.map(JSONValue.string) ?? .null,
                        "filename": part.filename.map(JSONValue.string) ?? .null,
                        "size": .number(Double(size)),
                        "sha256": .string(Hex.string(hash.finalize())),
                    ])
                )
            }
        }
    }
}
