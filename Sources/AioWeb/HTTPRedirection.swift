import HTTPTypes

// Redirects (3xx) of the HTTPException family.

/// 300 Multiple Choices: a redirect to `location`.
public struct HTTPMultipleChoices: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 300, reasonPhrase: "Multiple Choices") }
    public let text: String?
    public let headers: HTTPFields
    /// Where the client should go.
    public let location: String

    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        self.location = location
        self.text = text
        var headers = headers
        headers[.location] = location
        self.headers = headers
    }
}

/// 301 Moved Permanently: a redirect to `location`.
public struct HTTPMovedPermanently: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 301, reasonPhrase: "Moved Permanently") }
    public let text: String?
    public let headers: HTTPFields
    /// Where the client should go.
    public let location: String

    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        self.location = location
        self.text = text
        var headers = headers
        headers[.location] = location
        self.headers = headers
    }
}

/// 302 Found: a redirect to `location`.
public struct HTTPFound: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 302, reasonPhrase: "Found") }
    public let text: String?
    public let headers: HTTPFields
    /// Where the client should go.
    public let location: String

    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        self.location = location
        self.text = text
        var headers = headers
        headers[.location] = location
        self.headers = headers
    }
}

/// 303 See Other: a redirect to `location`.
public struct HTTPSeeOther: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 303, reasonPhrase: "See Other") }
    public let text: String?
    public let headers: HTTPFields
    /// Where the client should go.
    public let location: String

    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        self.location = location
        self.text = text
        var headers = headers
        headers[.location] = location
        self.headers = headers
    }
}

/// 305 Use Proxy: a redirect to `location`.
public struct HTTPUseProxy: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 305, reasonPhrase: "Use Proxy") }
    public let text: String?
    public let headers: HTTPFields
    /// Where the client should go.
    public let location: String

    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        self.location = location
        self.text = text
        var headers = headers
        headers[.location] = location
        self.headers = headers
    }
}

/// 307 Temporary Redirect: a redirect to `location`.
public struct HTTPTemporaryRedirect: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 307, reasonPhrase: "Temporary Redirect") }
    public let text: String?
    public let headers: HTTPFields
    /// Where the client should go.
    public let location: String

    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        self.location = location
        self.text = text
        var headers = headers
        headers[.location] = location
        self.headers = headers
    }
}

/// 308 Permanent Redirect: a redirect to `location`.
public struct HTTPPermanentRedirect: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 308, reasonPhrase: "Permanent Redirect") }
    public let text: String?
    public let headers: HTTPFields
    /// Where the client should go.
    public let location: String

    /// A redirect to `location`, with a body `text` and extra `headers`.
    public init(location: String, text: String? = nil, headers: HTTPFields = [:]) {
        self.location = location
        self.text = text
        var headers = headers
        headers[.location] = location
        self.headers = headers
    }
}

/// 304 Not Modified.
public struct HTTPNotModified: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 304, reasonPhrase: "Not Modified") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}
