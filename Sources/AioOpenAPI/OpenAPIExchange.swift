import AioWeb
import AioWire
import HTTPTypes
import NIOCore
import OpenAPIRuntime

/// One operation's exchange between AioWeb and generated OpenAPI code: the request and its body
/// in the runtime's types, the answer back in AioWeb's.
enum OpenAPIExchange {
    typealias Handler = @concurrent @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)

    static func respond(to request: Request, with handler: Handler) async throws -> Response {
        // The router hands over decoded values; the runtime decodes what it gets, so they go
        // back percent-encoded (a `%2F` inside a value stays one value).
        let parameters = request.matchInfo.mapValues { Substring(PercentEncoding.encode($0, unescaped: PercentEncoding.isUnreserved)) }
        let answer: (HTTPResponse, HTTPBody?)
        do {
            answer = try await handler(request.head.request, Self.body(of: request), ServerRequestMetadata(pathParameters: parameters))
        } catch let error as ServerError {
            return try await Self.refusal(error)
        } catch let error as any HTTPResponseConvertible {
            answer = (HTTPResponse(status: error.httpStatus, headerFields: error.httpHeaderFields), error.httpBody)
        }
        let (response, body) = answer
        return Response(status: response.status, headers: response.headerFields, body: try await Self.body(body))
    }

    /// The answer to an operation that failed:
    /// - the server's own errors (a body past its limit or too slow: 413, 408) are rethrown for
    ///   the application to answer, as any other route's;
    /// - a request the generated code could not decode (a parameter, a content type, or a body
    ///   that does not match the schema: `DecodingError`, which the runtime would answer 500) is
    ///   refused with a 4xx and the reason as text;
    /// - an error that says how to answer (`HTTPResponseConvertible`, the handler's own
    ///   included) answers so, if it is not a server error;
    /// - anything else (a middleware or handler that failed) is rethrown, to be logged and
    ///   answered 500 without its details.
    private static func refusal(_ error: ServerError) async throws -> Response {
        let underlying = error.underlyingError
        if underlying is any HTTPProcessingError { throw underlying }
        let decoding = error.operationInput == nil && underlying is DecodingError
        guard decoding || (underlying is any HTTPResponseConvertible && error.httpStatus.kind != .serverError) else { throw error }
        let status = decoding ? .badRequest : error.httpStatus
        if let body = error.httpBody {
            return Response(status: status, headers: error.httpHeaderFields, body: try await Self.body(body))
        }
        guard error.operationInput == nil else { return Response(status: status, headers: error.httpHeaderFields) }
        return .text("\(error.causeDescription): \(underlying)", status: status)
    }

    /// The request's body for the runtime, read once as it arrives; nil when the request has
    /// none: no bytes and no `Content-Type` (clients send `Content-Length: 0` with a bodiless
    /// PUT, while an empty body with its type is one a binary or text operation may take).
    private static func body(of request: Request) -> HTTPBody? {
        let length = request.body.expectedLength
        guard length != 0 || request.headers[.contentType] != nil else { return nil }
        let pieces = request.body.map { ArraySlice($0.readableBytesView) }
        return HTTPBody(pieces, length: length.map { .known(Int64($0)) } ?? .unknown, iterationBehavior: .single)
    }

    /// A response body from the runtime's: read whole when its length is known and small (sent
    /// in one write, as a handler's own bytes are), else streamed with its length declared when
    /// known.
    private static func body(_ body: HTTPBody?) async throws -> Response.Body {
        guard let body else { return .empty }
        var declared: Int?
        if case .known(let length) = body.length {
            guard length > Self.wholeLimit else {
                var buffer = ByteBuffer()
                buffer.reserveCapacity(Int(length))
                for try await chunk in body { buffer.writeBytes(chunk) }
                return .buffer(buffer)
            }
            declared = Int(length)
        }
        return .stream(length: declared) { writer in
            for try await chunk in body {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
        }
    }

    /// The longest response body read whole before it is sent.
    private static let wholeLimit: Int64 = 64 * 1024
}
