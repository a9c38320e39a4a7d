import AioHTTP
import ArgumentParser
import Foundation
import HTTPTypes
import NIOCore
import NIOSSL

/// What every request command (`aio get`, `aio post`, …) takes, with httpie's habits: request
/// items after the URL, a body made of them, the body alone on standard output when it is not a
/// terminal.
struct FetchOptions: ParsableArguments {
    @Argument(help: "The URL; 'http://' is assumed without a scheme, ':8080/path' means localhost.")
    var url: String

    @Argument(help: ArgumentHelp(
        "Request items: name==value (query), name=value (field), name:=json (raw JSON field), Header:value.",
        valueName: "item"
    ))
    var items: [String] = []

    @Flag(help: "Send the fields as a urlencoded form instead of JSON.")
    var form = false

    @Flag(help: "Send the fields as JSON (the default when there are fields).")
    var json = false

    @Option(help: "Send TEXT as the body (text/plain unless a Content-Type is given).")
    var data: String?

    @Option(name: .customLong("header"), help: "A header field, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(help: "Credentials, user:password.")
    var auth: String?

    @Option(name: .customLong("auth-type"), help: "How --auth is sent: basic or digest.")
    var authType = "basic"

    @Option(name: .shortAndLong, help: "Write the body to FILE instead of standard output.")
    var output: String?

    @Flag(name: [.customShort("i"), .customLong("include")], help: "Print the status line and header fields before the body.")
    var include = false

    @Flag(name: .shortAndLong, help: "Print the request's head too (on standard error).")
    var verbose = false

    @Option(help: "The total timeout in seconds.")
    var timeout: Double?

    @Option(name: .customLong("max-redirects"), help: "Follow at most N redirects.")
    var maxRedirects = 10

    @Flag(name: .customLong("no-follow"), help: "Do not follow redirects: a redirect is the final response.")
    var noFollow = false

    @Option(help: "Send the request through this HTTP proxy (http://[user:password@]host:port).")
    var proxy: String?

    @Option(help: "Trust the certificates of this PEM bundle too.")
    var cacert: String?

    @Flag(help: "Do not verify the server's certificate.")
    var insecure = false

    @Option(help: "The SHA-256 of the server certificate's DER bytes, in hex (colons optional), as openssl x509 -fingerprint -sha256 prints it.")
    var pin: String?

    @Option(help: "Connect HOST:PORT to ADDR instead of resolving HOST, as curl (repeatable).")
    var resolve: [String] = []

    @Flag(name: .customLong("check-status"), help: "Exit 3, 4 or 5 for a 3xx, 4xx or 5xx final response.")
    var checkStatus = false

    @Option(help: "Keep cookies in FILE between runs (read before the request, written after).")
    var session: String?
}

/// Runs one request for a command and prints its answer; the exit status says how it went:
/// 0 for a final response (any status, or with `--check-status` 3, 4 or 5 by its class), 2 for
/// a timeout, 6 for too many redirects, 1 for anything else (the error's type and message on
/// standard error). A body cut short is an error, never exit 0.
enum Fetch {
    static func run(_ method: HTTPRequest.Method, _ options: FetchOptions) async throws {
        do {
            try await self.perform(method, options)
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            let name = (error as? any ClientError)?.name ?? String(describing: type(of: error))
            FileHandle.standardError.write(Data("aio: \(name): \(error)\n".utf8))
            switch error {
            case is any ClientTimeoutError: throw ExitCode(2)
            case is TooManyRedirects: throw ExitCode(6)
            default: throw ExitCode(1)
            }
        }
    }

    private static func perform(_ method: HTTPRequest.Method, _ options: FetchOptions) async throws {
        let request = try RequestItems(options)
        var tls = TLSConfiguration.makeClientConfiguration()
        if let cacert = options.cacert { tls.additionalTrustRoots = [.file(cacert)] }
        if options.insecure { tls.certificateVerification = .none }
        var resolve: [String: String] = [:]
        for entry in options.resolve {
            let parts = entry.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count == 3, Int(parts[1]) != nil else { throw ValidationError("--resolve takes HOST:PORT:ADDR, got '\(entry)'") }
            resolve["\(parts[0]):\(parts[1])"] = parts[2]
        }
        var pin: [UInt8]?
        if let text = options.pin {
            let digits = Array(text.filter { $0 != ":" }.utf8)
            var bytes: [UInt8] = []
            if digits.count == 64 {
                for index in stride(from: 0, to: 64, by: 2) {
                    guard let high = Hex.value(digits[index]), let low = Hex.value(digits[index + 1]) else { break }
                    bytes.append(high << 4 | low)
                }
            }
            guard bytes.count == 32 else { throw ValidationError("--pin takes 64 hex digits (a SHA-256), got '\(text)'") }
            pin = bytes
        }
        let connector = ClientConnector(tls: tls, resolve: resolve, pinnedFingerprint: pin)
        let timeout = ClientTimeout(total: options.timeout ?? 300)
        // Cookies from addresses too: a command line is pointed at 127.0.0.1 as often as not.
        let jar = CookieJar(unsafe: true)
        if let file = options.session, FileManager.default.fileExists(atPath: file) { try jar.load(from: file) }
        defer { if let file = options.session { try? jar.save(to: file) } }
        // Progress on a terminal's standard error, unless the body itself goes to that terminal.
        let terminal = isatty(STDOUT_FILENO) == 1 && options.output == nil
        let progress = isatty(STDERR_FILENO) == 1 && !terminal
        let sendsBody = request.body != nil
        let upload = ProgressBar(label: "upload")
        let download = ProgressBar(label: "download")
        var trace = TraceConfig()
        if progress {
            trace.onRequestChunkSent.append { _, params in upload.advance(by: params.chunk.readableBytes) }
            trace.onRequestEnd.append { _, params in
                if sendsBody { upload.finish() }
                // The size on the wire is not the size decoded.
                if params.response.headers[.contentEncoding] == nil { download.expect(params.response.contentLength) }
            }
            trace.onResponseChunkReceived.append { _, params in download.advance(by: params.chunk.readableBytes) }
        }
        try await withClientSession(
            timeout: timeout, connector: connector, cookieJar: jar, middlewares: request.middlewares, traceConfigs: progress ? [trace] : [],
            proxy: options.proxy, maxRedirects: options.maxRedirects
        ) { session in
            if options.verbose {
                FileHandle.standardError.write(Data("\(method.rawValue) \(request.url)\n".utf8))
                for field in request.headers { FileHandle.standardError.write(Data("\(field.name): \(field.value)\n".utf8)) }
                FileHandle.standardError.write(Data("\n".utf8))
            }
            let response = try await session.request(
                method,
                request.url,
                params: request.query,
                headers: request.headers,
                body: request.body,
                allowRedirects: !options.noFollow
            )
            if options.include {
                var head = "HTTP/\(response.version.major).\(response.version.minor) \(response.status.code) \(response.reason)\r\n"
                for field in response.headers { head += "\(field.name): \(field.value)\r\n" }
                try Self.emit(ByteBuffer(string: head + "\r\n"), to: STDOUT_FILENO)
            }
            let file = options.output.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? STDOUT_FILENO
            guard file >= 0 else { throw ValidationError("cannot write \(options.output ?? ""): \(String(cString: strerror(errno)))") }
            defer { if file != STDOUT_FILENO { close(file) } }
            if terminal, response.contentType.contains("json") {
                // Pretty-printed for a person; a pipe gets the bytes as they came.
                let body = try await response.read()
                let data = Data(body.readableBytesView)
                if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
                    let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed])
                {
                    // Coloured unless NO_COLOR says otherwise (no-color.org).
                    var text = String(decoding: pretty, as: UTF8.self)
                    if ProcessInfo.processInfo.environment["NO_COLOR"] == nil { text = JSONColours.paint(text) }
                    try Self.emit(ByteBuffer(string: text + "\n"), to: file)
                } else {
                    try Self.emit(body, to: file)
                }
            } else {
                for try await piece in response.content { try Self.emit(piece, to: file) }
                if progress { download.finish() }
            }
            if options.checkStatus, (300...599).contains(response.status.code) {
                throw ExitCode(Int32(response.status.code / 100))
            }
        }
    }

    /// Writes all of `buffer` to the file descriptor `file`.
    private static func emit(_ buffer: ByteBuffer, to file: Int32) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(file, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ValidationError("cannot write the body: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }
}

/// The request that a command's URL, items and options describe.
struct RequestItems {
    var url: String
    var query: [(String, String)] = []
    var headers = HTTPFields()
    var body: ClientRequestBody?
    var middlewares: [ClientMiddleware] = []

    init(_ options: FetchOptions) throws {
        var url = options.url
        if url.hasPrefix(":") { url = "http://localhost" + url }
        if !url.contains("://") { url = "http://" + url }
        self.url = url
        var fields: [(String, String)] = []
        var json: [(String, String)] = []  // name and raw JSON
        for item in options.items {
            if let range = item.range(of: "==") {
                self.query.append((String(item[..<range.lowerBound]), String(item[range.upperBound...])))
            } else if let range = item.range(of: ":="), !item[..<range.lowerBound].contains("=") {
                json.append((String(item[..<range.lowerBound]), String(item[range.upperBound...])))
            } else if let equals = item.firstIndex(of: "="), !item[..<equals].contains(":") {
                fields.append((String(item[..<equals]), String(item[item.index(after: equals)...])))
            } else if item.contains(":") {
                self.headers.append(try HeaderOption.field(item))
            } else {
                throw ValidationError("'\(item)' is not a request item (name==value, name=value, name:=json, Header:value)")
            }
        }
        for header in options.headers { self.headers.append(try HeaderOption.field(header)) }
        if let auth = options.auth {
            let (user, password) = auth.firstIndex(of: ":").map { (String(auth[..<$0]), String(auth[auth.index(after: $0)...])) } ?? (auth, "")
            switch options.authType {
            case "basic": self.middlewares.append(try BasicAuth(login: user, password: password).middleware)
            case "digest": self.middlewares.append(DigestAuth(login: user, password: password).middleware)
            default: throw ValidationError("--auth-type is basic or digest, got '\(options.authType)'")
            }
        }
        if let data = options.data {
            self.body = .text(data, contentType: self.headers[.contentType] ?? "text/plain; charset=utf-8")
        } else if options.form {
            guard json.isEmpty else { throw ValidationError("name:=json items cannot be sent in a form") }
            var form = FormData()
            for (name, value) in fields { form.add(name, value) }
            if !fields.isEmpty { self.body = try .form(form) }
        } else if !fields.isEmpty || !json.isEmpty {
            var object = JSONWriter()
            object.beginObject()
            for (name, value) in fields {
                object.key(name)
                object.string(value)
            }
            for (name, raw) in json {
                guard (try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: [.fragmentsAllowed])) != nil else {
                    throw ValidationError("'\(name):=\(raw)' is not valid JSON")
                }
                object.key(name)
                object.raw(raw)
            }
            object.endObject()
            self.body = .bytes(ByteBuffer(string: object.text), contentType: "application/json")
            if self.headers[.accept] == nil { self.headers[.accept] = "application/json, */*;q=0.5" }
        }
    }

}

/// `aio get URL [items]`.
struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a GET request and print the response's body.")
    @OptionGroup var options: FetchOptions
    func run() async throws { try await Fetch.run(.get, self.options) }
}

/// `aio head URL [items]`.
struct Head: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a HEAD request.")
    @OptionGroup var options: FetchOptions
    func run() async throws { try await Fetch.run(.head, self.options) }
}

/// `aio post URL [items]`.
struct Post: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a POST request with the items as its body.")
    @OptionGroup var options: FetchOptions
    func run() async throws { try await Fetch.run(.post, self.options) }
}

/// `aio put URL [items]`.
struct Put: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a PUT request with the items as its body.")
    @OptionGroup var options: FetchOptions
    func run() async throws { try await Fetch.run(.put, self.options) }
}

/// `aio patch URL [items]`.
struct Patch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a PATCH request with the items as its body.")
    @OptionGroup var options: FetchOptions
    func run() async throws { try await Fetch.run(.patch, self.options) }
}

/// `aio delete URL [items]`.
struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a DELETE request.")
    @OptionGroup var options: FetchOptions
    func run() async throws { try await Fetch.run(.delete, self.options) }
}

/// `aio options URL [items]`.
struct Options: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send an OPTIONS request.")
    @OptionGroup var options: FetchOptions
    func run() async throws { try await Fetch.run(.options, self.options) }
}
