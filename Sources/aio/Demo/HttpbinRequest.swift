import AioHTTP
import Crypto
import Foundation
import HTTPTypes
import NIOCore

/// What httpbin reports of a request (its `get_dict`): every field an endpoint may ask for.
struct HttpbinRequest {
    let request: Request
    let body: ByteBuffer
    /// The fields of a form body.
    let fields: MultiDict<FormValue>
    /// Size and SHA-256 of each uploaded file, hashed as it is read back from memory or disk.
    let files: [(name: String, file: FileField, sha256: String)]

    /// Reads the body (when the request has one) and wraps the request. Multipart bodies are
    /// read through `post()`, files streaming to disk, up to ``Httpbin/maxFormSize``.
    static func read(_ request: Request) async throws -> HttpbinRequest {
        if request.contentType == "multipart/form-data" {
            var request = request
            request.clientMaxSize = Httpbin.maxFormSize
            let fields = try await request.post()
            var files: [(String, FileField, String)] = []
            for (name, file) in fields.fileFields {
                var hash = SHA256()
                try await file.forEachChunk { chunk in chunk.withUnsafeReadableBytes { hash.update(bufferPointer: $0) } }
                files.append((name, file, Hex.string(hash.finalize())))
            }
            return HttpbinRequest(request: request, body: ByteBuffer(), fields: fields, files: files)
        }
        let body = request.body.expectedLength == 0 ? ByteBuffer() : try await request.read()
        let fields = request.contentType == "application/x-www-form-urlencoded" ? try await request.post() : [:]
        return HttpbinRequest(request: request, body: body, fields: fields, files: [])
    }

    /// The request's fields by title-cased name, repeated ones joined with commas.
    var headers: JSONValue {
        var grouped: [String: [String]] = [:]
        if let host = self.request.host { grouped["Host"] = [host] }
        for field in self.request.headers {
            grouped[Self.titleCase(field.name.canonicalName), default: []].append(field.value)
        }
        return .object(grouped.mapValues { .string($0.joined(separator: ",")) })
    }

    /// The client's address: the peer's, or what trusted proxies relay (`aio serve --forwarded`).
    var origin: String { self.request.remote ?? "" }

    var url: String { self.request.url }

    var args: JSONValue { .grouping(self.request.query.pairs) }

    var isForm: Bool {
        self.request.contentType == "application/x-www-form-urlencoded" || self.request.contentType.hasPrefix("multipart/")
    }

    var form: JSONValue { .grouping(self.fields.textFields.pairs) }

    /// Each file field as `{filename, content_type, size, sha256}` (httpbin puts the content
    /// there; sizes and digests stay useful for files of any size), a list when a name repeats.
    var filesValue: JSONValue {
        var grouped: [String: [JSONValue]] = [:]
        for (name, file, digest) in self.files {
            grouped[name, default: []].append(
                .object([
                    "filename": .string(file.filename), "content_type": .string(file.contentType),
                    "size": .number(Double(file.size)), "sha256": .string(digest),
                ])
            )
        }
        return .object(grouped.mapValues { $0.count == 1 ? $0[0] : .array($0) })
    }

    /// The raw body: text when it is UTF-8, a base64 data URL otherwise; empty for forms.
    var data: String {
        guard !self.isForm, self.body.readableBytes > 0 else { return "" }
        if let text = String(validating: self.body.readableBytesView, as: UTF8.self) { return text }
        return "data:application/octet-stream;base64," + Data(self.body.readableBytesView).base64EncodedString()
    }

    var json: JSONValue {
        guard self.body.readableBytes > 0 else { return .null }
        return JSONValue.parse(Data(self.body.readableBytesView)) ?? .null
    }

    /// The fields httpbin's endpoints combine.
    enum Key: String {
        case url, args, headers, origin, form, data, files, json, method
    }

    func dictionary(_ keys: [Key], extra: [String: JSONValue] = [:]) -> JSONValue {
        var members = extra
        for key in keys {
            switch key {
            case .url: members["url"] = .string(self.url)
            case .args: members["args"] = self.args
            case .headers: members["headers"] = self.headers
            case .origin: members["origin"] = .string(self.origin)
            case .form: members["form"] = self.form
            case .data: members["data"] = .string(self.data)
            case .files: members["files"] = self.filesValue
            case .json: members["json"] = self.json
            case .method: members["method"] = .string(self.request.method.rawValue)
            }
        }
        return .object(members)
    }

    static func titleCase(_ name: String) -> String {
        name.split(separator: "-", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: "-")
    }
}

extension Response {
    /// httpbin's JSON response.
    static func httpbin(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var response = Response(status: status, headers: headers, body: .buffer(ByteBuffer(string: value.text)))
        response.headers[.contentType] = "application/json"
        response.headers[HTTPField.Name("Access-Control-Allow-Origin")!] = "*"
        response.headers[HTTPField.Name("Access-Control-Allow-Credentials")!] = "true"
        return response
    }
}
