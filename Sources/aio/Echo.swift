import AioHTTP
import ArgumentParser
import HTTPTypes
import NIOCore

/// `aio echo`: answers every request, whatever its method and target, with what it parsed.
struct Echo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer every request with 200 and JSON describing what was parsed.",
        discussion: """
            The JSON holds method, target, path, query, version, headers as [[name, value], ...] \
            and data (the body; bytes that are not UTF-8 as Latin-1). Requests the parser refuses \
            get the status it names.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    func run() async throws {
        var configuration = ServerConfiguration(address: .hostname(self.host, port: self.port))
        configuration.serverName = "aio-echo"
        try await runServer(responder: EchoResponder(), configuration: configuration)
    }
}

/// Answers with JSON describing the request: the contract of `../shared/conformance/harness.py`.
struct EchoResponder: HTTPResponder {
    /// Bodies up to this size are echoed; larger ones are refused with 413.
    let maxBodySize = 16 << 20

    func respond(to request: ServerRequest, writer: consuming ResponseWriter) async throws {
        let body = try await request.body.collect(upTo: self.maxBodySize)
        let (response, json) = Self.answer(request.head, body: body)
        try await writer.write(response, body: json)
    }

    /// A bodiless request (the only kind the server asks about) is answered on the spot.
    func respondImmediately(to request: ServerRequest) -> ImmediateResponse? {
        let (response, json) = Self.answer(request.head, body: ByteBuffer())
        return .whole(response, body: json)
    }

    /// The JSON answer to a request with `head` and `body`.
    private static func answer(_ head: HTTPRequestHead, body: ByteBuffer) -> (HTTPResponse, ByteBuffer) {
        // The path and query as the handler sees them: an absolute-form target's own (RFC 9112
        // §3.2.2), the authority of a CONNECT.
        let pathAndQuery = head.request.path ?? head.target
        let queryStart = pathAndQuery.firstIndex(of: "?")
        var json = JSONWriter()
        json.beginObject()
        json.key("method")
        json.string(head.request.method.rawValue)
        json.key("target")
        json.string(head.target)
        json.key("path")
        json.string(String(pathAndQuery[..<(queryStart ?? pathAndQuery.endIndex)]))
        json.key("query")
        json.string(queryStart.map { String(pathAndQuery[pathAndQuery.index(after: $0)...]) } ?? "")
        json.key("version")
        json.string(head.version.description)
        var headers: [(String, String)] = []
        if head.targetForm != .absolute, let authority = head.request.authority {
            headers.append(("Host", authority))
        }
        headers += fieldPairs(head.request.headerFields)
        json.key("headers")
        json.pairs(headers)
        json.key("data")
        json.string(body.withUnsafeReadableBytes { latin1OrUTF8($0.assumingMemoryBound(to: UInt8.self)) })
        json.endObject()
        var response = HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "application/json"
        return (response, ByteBuffer(string: json.text))
    }
}
