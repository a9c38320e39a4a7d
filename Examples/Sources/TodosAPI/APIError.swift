import AioHTTP
import Foundation
import Logging

/// What goes wrong with a request to the API. Handlers throw these; ``APIError/middleware``
/// answers with RFC 9457 problem details (`application/problem+json`), as it does for the
/// framework's own errors (malformed JSON, a body too large, an unknown path).
enum APIError: Error, Equatable {
    /// A field of the body or the query is missing or wrong: 422.
    case invalid(field: String, reason: String)
    /// No to-do has this id: 404.
    case notFound(id: Int64)

    var status: HTTPResponse.Status {
        switch self {
        case .invalid: .unprocessableContent
        case .notFound: .notFound
        }
    }

    var problem: Problem {
        switch self {
        case .invalid(let field, let reason):
            Problem(status: self.status, detail: "\(field) \(reason)", field: field)
        case .notFound(let id):
            Problem(status: self.status, detail: "no to-do has id \(id)")
        }
    }

    /// RFC 9457's problem details, with the invalid field's name as an extension member.
    struct Problem: Codable, Equatable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var field: String?

        init(status: HTTPResponse.Status, detail: String, field: String? = nil) {
            self.title = status.reasonPhrase
            self.status = status.code
            self.detail = detail
            self.field = field
        }

        func response(headers: HTTPFields = [:]) throws -> Response {
            var response = try Response.json(self, status: HTTPResponse.Status(code: self.status))
            response.headers.append(contentsOf: headers)
            response.headers[.contentType] = "application/problem+json"
            return response
        }
    }

    /// Turns every error into problem details: ours, and the framework's `HTTPException`s
    /// (their header fields, such as `Allow` for a 405, kept). Anything else is a 500 whose
    /// detail says nothing of the cause.
    static func middleware(logger: Logger) -> Middleware {
        Middleware { request, next in
            do {
                return try await next(request)
            } catch let error as APIError {
                return try error.problem.response()
            } catch let error as any HTTPProcessingError {
                return try Problem(status: error.status, detail: error.message).response(headers: error.headers)
            } catch {
                logger.error("\(request.method) \(request.path) failed: \(error)")
                return try Problem(status: .internalServerError, detail: "the server failed to answer").response()
            }
        }
    }
}
