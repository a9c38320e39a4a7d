import AioWeb
import AioWire
import HTTPTypes
import NIOCore
import OpenAPIRuntime

/// Generated OpenAPI servers register their operations on an application's router:
///
/// ```swift
/// let app = Application()
/// try MyAPIImplementation().registerHandlers(on: app.router, serverURL: try Servers.Server1.url())
/// ```
///
/// Path templates are the router's own (`/pets/{petId}`, and mixed segments such as
/// `/files/{name}.zip`); the server URL's path is their prefix. Path parameters reach the
/// generated code percent-encoded, as it expects (it decodes them), request bodies stream
/// through once, and response bodies go out with `Content-Length` when their length is known,
/// chunked otherwise. A request the generated code cannot decode is refused with a 4xx and the
/// reason (400, or 415 for a content type it does not take); the handler's own
/// `HTTPResponseConvertible` errors answer as they say; the server's own errors (413, 408) and
/// any other failure go to the application, which answers them as for any route (500 for a
/// failure, without its details).
extension Router: ServerTransport {
    public func register(
        _ handler: @concurrent @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        try OpenAPIPathError.check(path)
        self.route(method, path) { request in
            try await OpenAPIExchange.respond(to: request, with: handler)
        }
    }
}

/// An OpenAPI path template the router cannot take: a parameter name with `:`, `{` or `}`
/// (the router's pattern syntax).
public struct OpenAPIPathError: Error, Hashable, CustomStringConvertible {
    /// The template.
    public let path: String

    public var description: String { "The OpenAPI path template \(self.path) has a parameter name the router cannot take" }

    static func check(_ path: String) throws {
        var inside = false
        for character in path {
            switch character {
            case "{":
                guard !inside else { throw OpenAPIPathError(path: path) }
                inside = true
            case "}":
                guard inside else { throw OpenAPIPathError(path: path) }
                inside = false
            case ":" where inside:
                throw OpenAPIPathError(path: path)
            default:
                break
            }
        }
        guard !inside else { throw OpenAPIPathError(path: path) }
    }
}
