import AioClient
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIRuntime

/// Generated OpenAPI clients over a ``/AioClient/ClientSession``: its pool, timeouts, middlewares, cookies,
/// TLS and proxies apply to every operation.
///
/// ```swift
/// try await withClientSession { session in
///     let client = Client(serverURL: try Servers.Server1.url(), transport: ClientSessionTransport(session))
///     let pet = try await client.getPet(path: .init(petId: 1)).ok.body.json
/// }
/// ```
///
/// Request bodies stream out once, with `Content-Length` when their length is known and chunked
/// otherwise; response bodies stream in as they arrive.
public struct ClientSessionTransport: ClientTransport {
    /// The session requests go through.
    public let session: ClientSession

    /// A transport over `session`.
    public init(_ session: ClientSession) {
        self.session = session
    }

    public func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let requestBody = body.map { body -> ClientRequestBody in
            var length: Int?
            if case .known(let known) = body.length { length = Int(known) }
            return .stream(body.map { ByteBuffer(bytes: $0) }, length: length, contentType: nil)
        }
        let response = try await self.session.request(
            request.method,
            base + (request.path ?? "/"),
            headers: request.headerFields,
            body: requestBody
        )
        let answer = HTTPResponse(status: response.status, headerFields: response.headers)
        // No body: a response to HEAD, a 204 or a 304, whatever its Content-Length says.
        guard request.method != .head, response.status != .noContent, response.status != .notModified else {
            return (answer, nil)
        }
        // Content-Length counts the bytes as sent, not as decoded from gzip or deflate.
        var length = HTTPBody.Length.unknown
        if let known = response.contentLength, response.headers[.contentEncoding] == nil { length = .known(Int64(known)) }
        let content = response.content.map { ArraySlice($0.readableBytesView) }
        return (answer, HTTPBody(content, length: length, iterationBehavior: .single))
    }
}
