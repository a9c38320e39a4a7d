import HTTPTypes

/// What sets one member of the ``HTTPException`` family apart: its status.
public protocol HTTPStatusKind: Sendable {
    /// The status the server answers with.
    static var status: HTTPResponse.Status { get }
}

/// A kind thrown with a body text and extra header fields (`HTTPNotFound(text:headers:)`).
public protocol HTTPErrorKind: HTTPStatusKind {}

/// A redirect kind, thrown with the location to go to (`HTTPFound(location:)`).
public protocol HTTPRedirectionKind: HTTPStatusKind {}

/// An ``HTTPException`` of one status: the one implementation behind `HTTPNotFound`,
/// `HTTPFound`, `HTTPServiceUnavailable` and the rest of aiohttp's names (see
/// ``HTTPExceptionKinds``), each a name for this type with its kind.
///
/// ```swift
/// throw HTTPNotFound(text: "no user \(id)")
/// throw HTTPFound(location: "/login")
/// catch let redirect as HTTPFound { … }
/// ```
public struct HTTPStatusException<Kind: HTTPStatusKind>: HTTPException, Hashable {
    /// The body text; nil gives `<code>: <reason>`.
    public let text: String?
    /// Header fields the response carries (`Location` for a redirect).
    public let headers: HTTPFields

    public var status: HTTPResponse.Status { Kind.status }
}

extension HTTPStatusException where Kind: HTTPErrorKind {
    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

extension HTTPStatusException where Kind: HTTPRedirectionKind {
    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        var headers = headers
        headers[.location] = location
        self.text = text
        self.headers = headers
    }

    /// Where the client should go.
    public var location: String { self.headers[.location] ?? "" }
}
