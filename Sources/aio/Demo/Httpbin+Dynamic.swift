import AioHTTP
import AioTestSupport
import Foundation
import HTTPTypes
import NIOCore

extension Httpbin {
    /// `/bytes`, `/stream-bytes`, `/stream`, `/range`, `/drip`, `/links`, `/base64`.
    static func registerDynamic(_ router: Router) {
        router.get("/bytes/{n:[0-9]+}") { request in
            let count = min(Int(request.matchInfo["n"]!) ?? 0, 100 * 1024)
            var random = Self.generator(request)
            return .bytes(ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }))
        }
        router.get("/stream-bytes/{n:[0-9]+}") { request in
            let count = min(Int(request.matchInfo["n"]!) ?? 0, 100 * 1024)
            let chunkSize = max(1, Int(request.query["chunk_size"] ?? "10240") ?? 10240)
            let seed = Self.generator(request)
            return .stream(headers: [.contentType: "application/octet-stream"]) { writer in
                var random = seed
                var left = count
                while left > 0 {
                    let size = min(chunkSize, left)
                    try await writer.write(ByteBuffer(bytes: (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }))
                    left -= size
                }
            }
        }
        router.get("/stream/{n:[0-9]+}") { request in
            let count = min(Int(request.matchInfo["n"]!) ?? 0, 100)
            let info = try await HttpbinRequest.read(request)
            let lines = (0..<count).map { index in
                info.dictionary([.url, .args, .headers, .origin], extra: ["id": .number(Double(index))]).compactText
            }
            return .stream(headers: [.contentType: "application/json"]) { writer in
                for line in lines { try await writer.write(ByteBuffer(string: line + "\n")) }
            }
        }
        router.get("/range/{n:[0-9]+}") { request in
            let count = Int(request.matchInfo["n"]!) ?? 0
            guard count <= 100 * 1024 else { throw HTTPNotFound(text: "number of bytes must be in the range (0, 102400]") }
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8)
            let bytes = ByteBuffer(bytes: (0..<count).map { alphabet[$0 % 26] })
            var headers: HTTPFields = [.eTag: "range\(count)", .acceptRanges: "bytes", .contentType: "application/octet-stream"]
            guard let header = request.headers[.range] else { return Response(headers: headers, body: .buffer(bytes)) }
            switch ByteRangeRequest.parse(header, size: count) {
            case .none:
                return Response(headers: headers, body: .buffer(bytes))
            case .unsatisfiable:
                throw HTTPRequestRangeNotSatisfiable(headers: [.contentRange: "bytes */\(count)", .eTag: "range\(count)"])
            case .range(let range):
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(count)"
                return Response(status: .partialContent, headers: headers, body: .buffer(bytes.getSlice(at: range.lowerBound, length: range.count)!))
            }
        }
        router.get("/drip") { request in
            let duration = try Self.seconds(request.query["duration"], default: 2, upTo: 30)
            let count = min(Int(request.query["numbytes"] ?? "10") ?? 10, 10 << 20)
            guard count > 0 else { throw HTTPBadRequest("number of bytes must be positive") }
            guard let code = Int(request.query["code"] ?? "200"), (200...599).contains(code) else {
                throw HTTPBadRequest("code must be a final status, 200 to 599")
            }
            let delay = try Self.seconds(request.query["delay"], default: 0, upTo: 10)
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            // Bytes go out in as many writes as there are whole milliseconds to spread them over.
            let writes = max(1, min(count, Int(duration * 1000)))
            let pause = duration / Double(writes)
            return .stream(status: HTTPResponse.Status(code: code), headers: [.contentType: "application/octet-stream"], length: count) { writer in
                for index in 0..<writes {
                    let size = count / writes + (index < count % writes ? 1 : 0)
                    try await writer.write(ByteBuffer(repeating: UInt8(ascii: "*"), count: size))
                    try await Task.sleep(for: .milliseconds(Int(pause * 1000)))
                }
            }
        }
        router.get("/links/{n:[0-9]+}") { request in throw HTTPFound(location: "/links/\(request.matchInfo["n"]!)/0") }
        router.get("/links/{n:[0-9]+}/{offset:[0-9]+}") { request in
            let count = min(max(Int(request.matchInfo["n"]!) ?? 1, 1), 200)
            let offset = Int(request.matchInfo["offset"]!) ?? 0
            let links = (0..<count).map { $0 == offset ? "\($0) " : "<a href='/links/\(count)/\($0)'>\($0)</a> " }.joined()
            return .html("<html><head><title>Links</title></head><body>\(links)</body></html>")
        }
        router.get("/base64/{value}") { request in
            var value = request.matchInfo["value"]!.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            value += String(repeating: "=", count: (4 - value.count % 4) % 4)
            guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8) else {
                return .html("Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l")
            }
            return .html(text)
        }
    }

    /// A number of seconds from a query or path value, `fallback` when absent, clamped to
    /// `0...limit`; 400 when it is not a finite number.
    static func seconds(_ text: String?, default fallback: Double, upTo limit: Double) throws -> Double {
        guard let text else { return fallback }
        guard let value = Double(text), value.isFinite else { throw HTTPBadRequest("\(text) is not a number of seconds") }
        return min(max(value, 0), limit)
    }

    /// Random bytes from `seed` when given, so a client can ask for the same bytes twice.
    static func generator(_ request: Request) -> SplitMix64 {
        SplitMix64(seed: request.query["seed"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max))
    }
}

/// A single byte range, as httpbin's `/range` honours it.
enum ByteRangeRequest {
    case none
    case unsatisfiable
    case range(ClosedRange<Int>)

    static func parse(_ header: String, size: Int) -> ByteRangeRequest {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return .none }
        let parts = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .none }
        switch (Int(parts[0]), Int(parts[1])) {
        case (let start?, let end?) where start <= end:
            return start < size ? .range(start...min(end, size - 1)) : .unsatisfiable
        case (let start?, nil) where parts[1].isEmpty:
            return start < size ? .range(start...(size - 1)) : .unsatisfiable
        case (nil, let suffix?) where parts[0].isEmpty && suffix > 0 && size > 0:
            return .range(max(0, size - suffix)...(size - 1))
        default:
            return .none
        }
    }
}
