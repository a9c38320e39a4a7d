import AioWire
import HTTPTypes

/// An HTTP error or redirect a handler can throw (or turn into a ``Response``), as aiohttp's
/// `web.HTTPException` family: the server answers with its status, its header fields and its
/// text.
///
/// ```swift
/// guard let user = users[id] else { throw HTTPNotFound(text: "no user \(id)") }
/// throw HTTPFound(location: "/login")
/// ```
///
/// `HTTPBadRequest` (400) and `HTTPMethodNotAllowed` (405) are AioWire's types of the same
/// names, so parser and framework errors are one family.
public protocol HTTPException: HTTPProcessingError {
    /// The body text; nil gives `<code>: <reason>`.
    var text: String? { get }
}

extension HTTPException {
    public var message: String { self.text ?? "\(self.status.code): \(self.status.reasonPhrase)" }
    public var offset: Int? { nil }
    public var text: String? { nil }
}

extension HTTPBadRequest: HTTPException {}
extension HTTPMethodNotAllowed: HTTPException {}
