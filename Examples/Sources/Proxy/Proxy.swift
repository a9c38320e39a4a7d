// A reverse proxy: this server in front, a ClientSession behind. Request and response bodies
// stream through as they arrive, so a large upload or download holds no more than a few chunks
// in memory. An upstream that cannot be reached is a 502, one that does not answer in time a 504.
//
//     swift run Proxy http://127.0.0.1:8081     # serves 127.0.0.1:8080, forwards to the upstream
import AioHTTP
import Foundation

@main
enum Proxy {
    /// The application forwarding every request to `upstream` (an origin such as
    /// `http://127.0.0.1:8081`). The session it forwards through is closed at cleanup.
    static func makeApp(upstream: String, timeout: ClientTimeout = ClientTimeout(total: nil, sockConnect: 10, sockRead: 60)) throws -> Application {
        // No cookie jar and no decompression: what the upstream sends goes back as it is.
        let session = try ClientSession(baseURL: upstream, timeout: timeout, cookieJar: nil, autoDecompress: false)
        let app = Application()
        try app.onCleanup.append { _ in await session.close() }
        app.router.route(nil, "/{tail:.*}") { request in
            try await Self.forward(request, through: session)
        }
        return app
    }

    static func forward(_ request: Request, through session: ClientSession) async throws -> Response {
        var fields = HopByHop.removing(from: request.headers)
        fields[.contentLength] = nil
        // Who asked, for the upstream's logs and links (the conventional fields nginx sets).
        let forwardedFor = HTTPField.Name("X-Forwarded-For")!
        let client = request.remote ?? "unknown"
        fields[forwardedFor] = fields[forwardedFor].map { "\($0), \(client)" } ?? client
        fields[HTTPField.Name("X-Forwarded-Proto")!] = request.scheme
        if let host = request.host { fields[HTTPField.Name("X-Forwarded-Host")!] = host }
        // The body streams to the upstream as it arrives; a request without one sends none.
        let body: ClientRequestBody? =
            request.contentLength == 0 ? nil : .stream(request.body, length: request.contentLength, contentType: nil)

        let upstream: ClientResponse
        do {
            upstream = try await session.request(request.method, request.pathAndQuery, headers: fields, body: body, allowRedirects: false)
        } catch let error as any ClientTimeoutError {
            throw HTTPGatewayTimeout(text: "The upstream did not answer in time: \(error)")
        } catch let error as any ClientConnectionError {
            throw HTTPBadGateway(text: "The upstream could not be reached: \(error)")
        }

        var headers = HopByHop.removing(from: upstream.headers)
        let status = upstream.status.code
        if request.method == .head || status == 204 || status == 304 {
            // No body follows; Content-Length, if any, still describes the resource.
            await upstream.release()
            return Response(status: upstream.status, headers: headers)
        }
        headers[.contentLength] = nil
        return .stream(status: upstream.status, headers: headers, length: upstream.contentLength) { writer in
            for try await chunk in upstream.content {
                try await writer.write(chunk)
            }
        }
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 2 else {
            print("usage: Proxy <upstream origin, such as http://127.0.0.1:8081>")
            exit(64)
        }
        try await makeApp(upstream: arguments[1]).run()
    }
}
