// Forms and multipart uploads: `post()` reads a form whole, `multipart()` streams its parts as
// they arrive, and a `ClientSession` sends both kinds of body. The application is served on a
// free port by AioTesting; the checks run to completion.
import AioHTTP
import AioTesting

// snippet.limits
// Small limits, to see them at work: files past 16 KiB go to disk, none may pass 64 KiB.
let limits = MultipartConfiguration(
    maxParts: 100,
    memoryFileThreshold: 16 << 10,
    maxFileSize: 64 << 10,
    spoolBudget: SpoolBudget(limit: 64 << 20)
)
let app = Application(clientMaxSize: 256 << 10, multipart: limits)
// snippet.form
app.router.post("/profile") { request in
    let form = try await request.post()  // MultiDict<FormValue>, read once and kept
    let name = form["name"]?.text ?? "-"  // the first value of a name
    let tags = form.textFields.all("tag")  // every value of a name, in order
    var answer = "\(request.contentType) \(name) \(tags.joined(separator: ","))"
    if let avatar = form["avatar"]?.file {
        // In memory up to memoryFileThreshold, else in a temporary file, removed once the
        // response has been sent.
        let place = if case .temporaryFile = avatar.storage { "on disk" } else { "in memory" }
        var read = 0
        try await avatar.forEachChunk { chunk in read += chunk.readableBytes }
        answer += " \(avatar.filename) \(avatar.contentType) \(read) \(place)"
    }
    return .text(answer)
}
// snippet.stream
app.router.post("/upload") { request in
    let reader = try request.multipart()
    var seen: [String] = []
    while let next = try await reader.next() {
        switch next {
        case .part(let part) where part.filename == nil:
            // A text field: read whole, up to a bound of the handler's choosing.
            let text = try await part.text(upTo: 4096)
            seen.append("\(part.name ?? "-")=\(text)")
        case .part(let part):
            // A file: its decoded chunks as they arrive (write them to disk here).
            var size = 0
            for try await chunk in part { size += chunk.readableBytes }
            seen.append("\(part.filename ?? "-") \(part.contentType.essence) \(size)")
        case .multipart(let nested):
            // A multipart/mixed part: a reader of its own. readChunk gives the raw bytes.
            while case .part(let inner)? = try await nested.next() {
                var size = 0
                while let chunk = try await inner.readChunk(size: 1024) { size += chunk.readableBytes }
                seen.append("\(inner.filename ?? "-") \(size)")
            }
        }
    }
    return .text(seen.joined(separator: "; "))
}
// snippet.hide
try await app.test(.live) { client in
    try await withClientSession(baseURL: "http://127.0.0.1:\(client.port ?? 0)") { session in
        // snippet.show
        // snippet.client
        // Text fields alone: sent urlencoded.
        var form = FormData()
        form.add("name", "Zoë")
        form.add("tag", "a")
        form.add("tag", "b")
        let plain = try await session.post("/profile", body: .form(form))
        let plainText = try await plain.text()
        precondition(plainText == "application/x-www-form-urlencoded Zoë a,b")

        // A file makes it multipart/form-data; 40,000 bytes are past the threshold.
        form.add("avatar", bytes: ByteBuffer(repeating: 7, count: 40_000), filename: "me.png", contentType: "image/png")
        let upload = try await session.post("/profile", body: .form(form))
        let uploadText = try await upload.text()
        precondition(uploadText == "multipart/form-data Zoë a,b me.png image/png 40000 on disk")

        // Any parts, nested ones too, with a MultipartWriter. multipart() does not count the
        // body against clientMaxSize: 300,000 bytes pass.
        var files = try MultipartWriter(subtype: "mixed")
        try files.append(text: "one", disposition: ("attachment", [("filename", "1.txt")]))
        try files.append(text: "two", disposition: ("attachment", [("filename", "2.txt")]))
        var writer = try MultipartWriter(subtype: "form-data")
        try writer.append(text: "hello", disposition: ("form-data", [("name", "note")]))
        try writer.append(
            bytes: ByteBuffer(repeating: 1, count: 300_000),
            contentType: "application/pdf",
            disposition: ("form-data", [("name", "doc"), ("filename", "a.pdf")])
        )
        try writer.append(multipart: files, disposition: ("form-data", [("name", "files")]))
        let streamed = try await session.post("/upload", body: .multipart(writer))
        let streamedText = try await streamed.text()
        precondition(streamedText == "note=hello; a.pdf application/pdf 300000; 1.txt 3; 2.txt 3")
        // snippet.refused
        // A file past maxFileSize: 413, and what the form had spooled is removed.
        var big = FormData()
        big.add("avatar", bytes: ByteBuffer(repeating: 0, count: 100_000), filename: "big.png")
        let tooLarge = try await session.post("/profile", body: .form(big))
        let reason = try await tooLarge.text()
        precondition(tooLarge.status == .contentTooLarge && reason == "File big.png is larger than 65536 bytes")

        // A body that is not well-formed multipart (no closing boundary): 400.
        let broken = ByteBuffer(string: "--b\r\n\r\nno end")
        let truncated = try await session.post("/profile", body: .bytes(broken, contentType: "multipart/form-data; boundary=b"))
        precondition(truncated.status == .badRequest)
        // snippet.end
    }
}
