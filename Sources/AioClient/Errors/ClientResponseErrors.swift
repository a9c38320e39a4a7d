import AioWire
import HTTPTypes

/// A response whose status the caller refuses: thrown by ``ClientResponse/raiseForStatus()``
/// for a 4xx or 5xx (aiohttp's `ClientResponseError` from `raise_for_status`).
public struct ClientResponseStatusError: ClientResponseError {
    public let status: HTTPResponse.Status
    public let message: String
    public let headers: HTTPFields
    /// The URL of the response.
    public let url: String
    /// The method of the request.
    public let method: HTTPRequest.Method

    /// An error for the response `status` to `method` `url`.
    public init(status: HTTPResponse.Status, headers: HTTPFields, url: String, method: HTTPRequest.Method) {
        self.status = status
        self.message = status.reasonPhrase
        self.headers = headers
        self.url = url
        self.method = method
    }

    public var description: String { "\(self.status.code), message='\(self.message)', url='\(self.url)'" }
}

/// The response's content type is not the one expected (``ClientResponse/json(as:contentType:decoder:)``).
public struct ContentTypeError: ClientResponseError {
    public let status: HTTPResponse.Status
    public let message: String
    public let headers: HTTPFields

    /// An error for a response with `status` and `headers`, saying `message`.
    public init(status: HTTPResponse.Status, message: String, headers: HTTPFields) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { self.message }
}

/// More redirects than allowed; ``history`` holds the responses followed.
public struct TooManyRedirects: ClientResponseError {
    public let status: HTTPResponse.Status
    public let message: String
    public let headers: HTTPFields
    /// The redirects followed, oldest first: URL and status of each.
    public let history: [(url: String, status: HTTPResponse.Status)]

    /// An error after `history`, the last response having `status` and `headers`.
    public init(status: HTTPResponse.Status, headers: HTTPFields, history: [(url: String, status: HTTPResponse.Status)]) {
        self.status = status
        self.headers = headers
        self.history = history
        self.message = "Too many redirects (\(history.count)); the last to \(history.last?.url ?? "?")"
    }

    public var description: String { self.message + " (raise maxRedirects, or pass allowRedirects: false)" }
}

/// A request that cannot be sent as given: a body that cannot be replayed for a redirect that
/// needs it, a field that would inject a line.
public struct ClientRequestError: ClientHttpProcessingError {
    /// What is wrong.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}

extension WSServerHandshakeError: ClientResponseError {}

/// A proxy refused to open a tunnel: its answer to `CONNECT` was not a 2xx (a 407 for
/// credentials it does not accept), with its status and fields.
extension HTTPProxyError: ClientResponseError {
    public var name: String { "HttpProxyError" }
}

/// aiohttp's name for ``/AioWire/HTTPProxyError``.
public typealias HttpProxyError = HTTPProxyError

/// The server's answer is not valid HTTP/1.1: a bad status line, a malformed field, framing
/// that cannot be trusted (aiohttp raises `ClientResponseError` with status 400 for these).
public struct MalformedResponseError: ClientHttpProcessingError {
    /// What is wrong, as the parser put it.
    public let message: String
    /// The host that answered.
    public let host: String

    /// An error for `host`'s answer, saying `message`.
    public init(_ message: String, host: String) {
        self.message = message
        self.host = host
    }

    public var description: String { "Malformed response from \(self.host): \(self.message)" }
}
