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
/// chunked otherwise. An error that says how to answer (`HTTPResponseConvertible`, as the
/// runtime's decoding errors do: 400 for a bad parameter or body) is answered so; any other is
/// a 500.
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
