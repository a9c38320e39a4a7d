import HTTPTypes

// Client errors (4xx) of the HTTPException family.

/// 401 Unauthorized.
public struct HTTPUnauthorized: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 401, reasonPhrase: "Unauthorized") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 402 Payment Required.
public struct HTTPPaymentRequired: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 402, reasonPhrase: "Payment Required") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 403 Forbidden.
public struct HTTPForbidden: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 403, reasonPhrase: "Forbidden") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 404 Not Found.
public struct HTTPNotFound: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 404, reasonPhrase: "Not Found") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 406 Not Acceptable.
public struct HTTPNotAcceptable: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 406, reasonPhrase: "Not Acceptable") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 407 Proxy Authentication Required.
public struct HTTPProxyAuthenticationRequired: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 407, reasonPhrase: "Proxy Authentication Required") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 408 Request Timeout.
public struct HTTPRequestTimeout: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 408, reasonPhrase: "Request Timeout") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 409 Conflict.
public struct HTTPConflict: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 409, reasonPhrase: "Conflict") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 410 Gone.
public struct HTTPGone: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 410, reasonPhrase: "Gone") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 411 Length Required.
public struct HTTPLengthRequired: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 411, reasonPhrase: "Length Required") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 412 Precondition Failed.
public struct HTTPPreconditionFailed: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 412, reasonPhrase: "Precondition Failed") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 413 Content Too Large.
public struct HTTPRequestEntityTooLarge: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 413, reasonPhrase: "Content Too Large") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 414 URI Too Long.
public struct HTTPRequestURITooLong: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 414, reasonPhrase: "URI Too Long") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 415 Unsupported Media Type.
public struct HTTPUnsupportedMediaType: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 415, reasonPhrase: "Unsupported Media Type") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 416 Range Not Satisfiable.
public struct HTTPRequestRangeNotSatisfiable: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 416, reasonPhrase: "Range Not Satisfiable") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 417 Expectation Failed.
public struct HTTPExpectationFailed: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 417, reasonPhrase: "Expectation Failed") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 421 Misdirected Request.
public struct HTTPMisdirectedRequest: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 421, reasonPhrase: "Misdirected Request") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 422 Unprocessable Content.
public struct HTTPUnprocessableEntity: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 422, reasonPhrase: "Unprocessable Content") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 424 Failed Dependency.
public struct HTTPFailedDependency: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 424, reasonPhrase: "Failed Dependency") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 426 Upgrade Required.
public struct HTTPUpgradeRequired: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 426, reasonPhrase: "Upgrade Required") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 428 Precondition Required.
public struct HTTPPreconditionRequired: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 428, reasonPhrase: "Precondition Required") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 429 Too Many Requests.
public struct HTTPTooManyRequests: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 429, reasonPhrase: "Too Many Requests") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 431 Request Header Fields Too Large.
public struct HTTPRequestHeaderFieldsTooLarge: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 431, reasonPhrase: "Request Header Fields Too Large") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}

/// 451 Unavailable For Legal Reasons.
public struct HTTPUnavailableForLegalReasons: HTTPException, Hashable {
    public var status: HTTPResponse.Status { .init(code: 451, reasonPhrase: "Unavailable For Legal Reasons") }
    public let text: String?
    public let headers: HTTPFields

    /// The error with a body `text` and extra `headers`.
    public init(text: String? = nil, headers: HTTPFields = [:]) {
        self.text = text
        self.headers = headers
    }
}
