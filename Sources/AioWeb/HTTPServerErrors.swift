import HTTPTypes

// Server errors (5xx) of the HTTPException family.

/// 500 Internal Server Error.
public struct HTTPInternalServerError: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 500, reasonPhrase: "Internal Server Error") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 501 Not Implemented.
public struct HTTPNotImplemented: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 501, reasonPhrase: "Not Implemented") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 502 Bad Gateway.
public struct HTTPBadGateway: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 502, reasonPhrase: "Bad Gateway") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 503 Service Unavailable.
public struct HTTPServiceUnavailable: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 503, reasonPhrase: "Service Unavailable") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 504 Gateway Timeout.
public struct HTTPGatewayTimeout: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 504, reasonPhrase: "Gateway Timeout") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 505 HTTP Version Not Supported.
public struct HTTPVersionNotSupported: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 505, reasonPhrase: "HTTP Version Not Supported") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 506 Variant Also Negotiates.
public struct HTTPVariantAlsoNegotiates: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 506, reasonPhrase: "Variant Also Negotiates") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 507 Insufficient Storage.
public struct HTTPInsufficientStorage: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 507, reasonPhrase: "Insufficient Storage") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 510 Not Extended.
public struct HTTPNotExtended: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 510, reasonPhrase: "Not Extended") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 511 Network Authentication Required.
public struct HTTPNetworkAuthenticationRequired: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 511, reasonPhrase: "Network Authentication Required") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}
