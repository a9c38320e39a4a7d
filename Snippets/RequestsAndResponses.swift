// Request bodies read whole or as they arrive, streamed responses, files and ranges,
// compression both ways, cookies, and errors as HTTPExceptions; checked through a live server
// on a free port of 127.0.0.1 (and in process for debug mode).
import AioHTTP
import AioTesting
import Foundation

// snippet.hide
// A folder with one file, for the files section; removed at the end.
let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("aio-requests-\(ProcessInfo.processInfo.processIdentifier)").path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
try Data("Hello, static world".utf8).write(to: URL(fileURLWithPath: folder + "/report.txt"))
// snippet.show
// snippet.read
// Bodies read whole stop at `clientMaxSize` (1 MiB unless set): past it, 413.
let app = Application(clientMaxSize: 4096)
app.router.post("/echo") { request in
    .text(try await request.text())
}
struct Order: Codable {
    var item: String
    var count: Int
}
app.router.post("/orders") { request in
    let order = try await request.json(as: Order.self)  // not JSON, or not an Order: 400
    return .text("\(order.count) x \(order.item)")
}
// Read as it arrives, with back-pressure: `clientMaxSize` does not apply here.
app.router.post("/count") { request in
    var bytes = 0
    for try await piece in request.body { bytes += piece.readableBytes }
    return .text("\(bytes) bytes")
}
// snippet.stream
// No length given: chunked on HTTP/1.1, each write goes out as it is made.
app.router.get("/events") { _ in
    .stream(headers: [.contentType: "text/plain"]) { writer in
        for index in 1...3 { try await writer.write(ByteBuffer(string: "event \(index)\n")) }
    }
}
// A known length: sent with Content-Length, written in pieces all the same.
app.router.get("/table.csv") { _ in
    .stream(headers: [.contentType: "text/csv"], length: 12) { writer in
        try await writer.write(ByteBuffer(string: "id,name\n"))
        try await writer.write(ByteBuffer(string: "1,a\n"))
    }
}
// snippet.files
// One file: Content-Type from its extension, ETag, Last-Modified, conditions and ranges.
app.router.get("/download") { request in
    try await .file(folder + "/report.txt", for: request)
}
// Every file under `folder` at /static/…, the same way; nothing outside it.
app.router.addStatic("/static", directory: folder)
// snippet.compression
// gzip or deflate, as Accept-Encoding asks, for bodies of 1 KiB and more. Request bodies with
// Content-Encoding are inflated as they are read, whatever the middlewares.
try app.use(Middlewares.compression())
app.router.get("/poem") { _ in
    .text(String(repeating: "All work and no play.\n", count: 100))
}
// snippet.cookies
app.router.get("/login") { request in
    var response = Response.text("hello \(request.cookies["user"] ?? "stranger")")
    try response.setCookie(
        Cookie(name: "session", value: "s3cr3t", maxAge: 3600, secure: true, httpOnly: true, sameSite: .lax)
    )
    try response.deleteCookie("tracking")  // empty, Max-Age=0, expired in 1970
    return response
}
// snippet.errors
app.router.get("/old") { _ in throw HTTPFound(location: "/new") }
app.router.get("/items/{id}") { request in
    throw HTTPNotFound(text: "no item \(request.matchInfo["id"] ?? "")")
}
app.router.get("/admin") { _ in
    throw HTTPUnauthorized(headers: [.wwwAuthenticate: "Bearer"])
}
struct Broken: Error {}
app.router.get("/broken") { _ in throw Broken() }  // any other error: 500
// With debug on, a 500 also carries the error's description: never in production.
let debugApp = Application(debug: true)
debugApp.router.get("/broken") { _ in throw Broken() }
// snippet.end

// snippet.hide
try await app.test(.live) { client in
    // Reading.
    let echo = try await client.execute(.post, "/echo", body: ByteBuffer(string: "hello"))
    let order = try await client.execute(.post, "/orders", body: ByteBuffer(string: #"{"item":"tea","count":2}"#))
    let notJSON = try await client.execute(.post, "/orders", body: ByteBuffer(string: "{nope"))
    let tooLarge = try await client.execute(.post, "/echo", body: ByteBuffer(repeating: 0x61, count: 10_000))
    let counted = try await client.execute(.post, "/count", body: ByteBuffer(repeating: 0x61, count: 10_000))
    precondition(echo.text == "hello" && order.text == "2 x tea")
    precondition(notJSON.status == .badRequest)
    precondition(tooLarge.status == .contentTooLarge)
    precondition(counted.text == "10000 bytes")

    // Streaming.
    let events = try await client.execute(.get, "/events")
    let table = try await client.execute(.get, "/table.csv")
    precondition(events.text == "event 1\nevent 2\nevent 3\n" && events.headerFields[.transferEncoding] == "chunked")
    precondition(table.text == "id,name\n1,a\n" && table.headerFields[.contentLength] == "12")
    precondition(table.headerFields[.transferEncoding] == nil)

    // Files, conditions, ranges.
    let file = try await client.execute(.get, "/download")
    let etag = file.headerFields[.eTag] ?? ""
    precondition(file.text == "Hello, static world" && file.headerFields[.contentType] == "text/plain; charset=utf-8")
    precondition(file.headerFields[.acceptRanges] == "bytes" && etag.hasPrefix("\"") && file.headerFields[.lastModified] != nil)
    let cached = try await client.execute(.get, "/download", headers: [.ifNoneMatch: etag])
    let modified = try await client.execute(.get, "/download", headers: [.ifModifiedSince: file.headerFields[.lastModified]!])
    let range = try await client.execute(.get, "/download", headers: [.range: "bytes=0-4"])
    let suffix = try await client.execute(.get, "/download", headers: [.range: "bytes=-5"])
    let stale = try await client.execute(.get, "/download", headers: [.range: "bytes=0-4", .ifRange: "\"old\""])
    let beyond = try await client.execute(.get, "/download", headers: [.range: "bytes=100-"])
    precondition(cached.status == .notModified && modified.status == .notModified && cached.body.readableBytes == 0)
    precondition(range.status == .partialContent && range.text == "Hello" && range.headerFields[.contentRange] == "bytes 0-4/19")
    precondition(suffix.text == "world")
    precondition(stale.status == .ok && stale.text == "Hello, static world")
    precondition(beyond.status.code == 416 && beyond.headerFields[.contentRange] == "bytes */19")
    let statics = try await client.execute(.get, "/static/report.txt")
    let escape = try await client.execute(.get, "/static/%2E%2E/etc/passwd")
    let missing = try await client.execute(.get, "/static/missing.txt")
    precondition(statics.text == "Hello, static world")
    precondition(escape.status == .forbidden && missing.status == .notFound)

    // Compression, both ways.
    let poem = String(repeating: "All work and no play.\n", count: 100)
    let gzipped = try await client.execute(.get, "/poem", headers: [.acceptEncoding: "gzip, deflate"])
    let plain = try await client.execute(.get, "/poem")
    let small = try await client.execute(.get, "/download", headers: [.acceptEncoding: "gzip"])
    precondition(gzipped.headerFields[.contentEncoding] == "gzip" && gzipped.headerFields[.vary] == "Accept-Encoding")
    let unzipped = try StreamDecompressor.decompress(gzipped.body, format: .gzip, limit: 1 << 20)
    precondition(String(buffer: unzipped) == poem)
    precondition(gzipped.body.readableBytes < poem.utf8.count / 10)
    precondition(plain.headerFields[.contentEncoding] == nil && plain.text == poem)
    precondition(small.headerFields[.contentEncoding] == nil)
    let compressed = try StreamCompressor.compress(ByteBuffer(string: "hello, inflated"), format: .gzip)
    let inflated = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: compressed)
    let bomb = try StreamCompressor.compress(ByteBuffer(repeating: 0x61, count: 100_000), format: .gzip)
    let burst = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: bomb)
    let brotli = try await client.execute(.post, "/echo", headers: [.contentEncoding: "br"], body: ByteBuffer(string: "x"))
    precondition(inflated.text == "hello, inflated")
    precondition(burst.status == .contentTooLarge)
    precondition(brotli.status == .unsupportedMediaType && brotli.headerFields[.acceptEncoding] == "gzip, deflate")

    // Cookies.
    let login = try await client.execute(.get, "/login", headers: [.cookie: "user=ada; theme=dark"])
    precondition(login.text == "hello ada")
    precondition(login.headerFields[values: .setCookie] == [
        "session=s3cr3t; Max-Age=3600; Path=/; SameSite=Lax; Secure; HttpOnly",
        "tracking=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
    ])

    // Errors.
    let old = try await client.execute(.get, "/old")
    let item = try await client.execute(.get, "/items/7")
    let admin = try await client.execute(.get, "/admin")
    let broken = try await client.execute(.get, "/broken")
    precondition(old.status == .found && old.headerFields[.location] == "/new" && old.text == "302: Found")
    precondition(item.status == .notFound && item.text == "no item 7")
    precondition(item.headerFields[.contentType] == "text/plain; charset=utf-8")
    precondition(admin.status == .unauthorized && admin.headerFields[.wwwAuthenticate] == "Bearer")
    precondition(broken.status == .internalServerError && broken.text == "500: Internal Server Error")
}
try await debugApp.test(.router) { client in
    let broken = try await client.execute(.get, "/broken")
    precondition(broken.status == .internalServerError && broken.text == "500: Internal Server Error\n\nBroken()")
}
try? FileManager.default.removeItem(atPath: folder)
