import HTTPTypes

// The members of the HTTPException family, by status: each a name for HTTPStatusException of its
// kind, as aiohttp names them (`web.HTTPNotFound`, `web.HTTPFound` …). 400 and 405 are
// AioWire's HTTPBadRequest and HTTPMethodNotAllowed.

// MARK: Redirects (3xx): thrown with the `location` to go to; 304 is a plain status.

/// 300 Multiple Choices: a redirect to `location`.
public typealias HTTPMultipleChoices = HTTPStatusException<HTTPExceptionKinds.MultipleChoices>

/// 301 Moved Permanently: a redirect to `location`.
public typealias HTTPMovedPermanently = HTTPStatusException<HTTPExceptionKinds.MovedPermanently>

/// 302 Found: a redirect to `location`.
public typealias HTTPFound = HTTPStatusException<HTTPExceptionKinds.Found>

/// 303 See Other: a redirect to `location`.
public typealias HTTPSeeOther = HTTPStatusException<HTTPExceptionKinds.SeeOther>

/// 304 Not Modified.
public typealias HTTPNotModified = HTTPStatusException<HTTPExceptionKinds.NotModified>

/// 305 Use Proxy: a redirect to `location`.
public typealias HTTPUseProxy = HTTPStatusException<HTTPExceptionKinds.UseProxy>

/// 307 Temporary Redirect: a redirect to `location`.
public typealias HTTPTemporaryRedirect = HTTPStatusException<HTTPExceptionKinds.TemporaryRedirect>

/// 308 Permanent Redirect: a redirect to `location`.
public typealias HTTPPermanentRedirect = HTTPStatusException<HTTPExceptionKinds.PermanentRedirect>


// MARK: Client errors (4xx).

/// 401 Unauthorized.
public typealias HTTPUnauthorized = HTTPStatusException<HTTPExceptionKinds.Unauthorized>

/// 402 Payment Required.
public typealias HTTPPaymentRequired = HTTPStatusException<HTTPExceptionKinds.PaymentRequired>

/// 403 Forbidden.
public typealias HTTPForbidden = HTTPStatusException<HTTPExceptionKinds.Forbidden>

/// 404 Not Found.
public typealias HTTPNotFound = HTTPStatusException<HTTPExceptionKinds.NotFound>

/// 406 Not Acceptable.
public typealias HTTPNotAcceptable = HTTPStatusException<HTTPExceptionKinds.NotAcceptable>

/// 407 Proxy Authentication Required.
public typealias HTTPProxyAuthenticationRequired = HTTPStatusException<HTTPExceptionKinds.ProxyAuthenticationRequired>

/// 408 Request Timeout.
public typealias HTTPRequestTimeout = HTTPStatusException<HTTPExceptionKinds.RequestTimeout>

/// 409 Conflict.
public typealias HTTPConflict = HTTPStatusException<HTTPExceptionKinds.Conflict>

/// 410 Gone.
public typealias HTTPGone = HTTPStatusException<HTTPExceptionKinds.Gone>

/// 411 Length Required.
public typealias HTTPLengthRequired = HTTPStatusException<HTTPExceptionKinds.LengthRequired>

/// 412 Precondition Failed.
public typealias HTTPPreconditionFailed = HTTPStatusException<HTTPExceptionKinds.PreconditionFailed>

/// 413 Content Too Large.
public typealias HTTPRequestEntityTooLarge = HTTPStatusException<HTTPExceptionKinds.RequestEntityTooLarge>

/// 414 URI Too Long.
public typealias HTTPRequestURITooLong = HTTPStatusException<HTTPExceptionKinds.RequestURITooLong>

/// 415 Unsupported Media Type.
public typealias HTTPUnsupportedMediaType = HTTPStatusException<HTTPExceptionKinds.UnsupportedMediaType>

/// 416 Range Not Satisfiable.
public typealias HTTPRequestRangeNotSatisfiable = HTTPStatusException<HTTPExceptionKinds.RequestRangeNotSatisfiable>

/// 417 Expectation Failed.
public typealias HTTPExpectationFailed = HTTPStatusException<HTTPExceptionKinds.ExpectationFailed>

/// 421 Misdirected Request.
public typealias HTTPMisdirectedRequest = HTTPStatusException<HTTPExceptionKinds.MisdirectedRequest>

/// 422 Unprocessable Content.
public typealias HTTPUnprocessableEntity = HTTPStatusException<HTTPExceptionKinds.UnprocessableEntity>

/// 424 Failed Dependency.
public typealias HTTPFailedDependency = HTTPStatusException<HTTPExceptionKinds.FailedDependency>

/// 426 Upgrade Required.
public typealias HTTPUpgradeRequired = HTTPStatusException<HTTPExceptionKinds.UpgradeRequired>

/// 428 Precondition Required.
public typealias HTTPPreconditionRequired = HTTPStatusException<HTTPExceptionKinds.PreconditionRequired>

/// 429 Too Many Requests.
public typealias HTTPTooManyRequests = HTTPStatusException<HTTPExceptionKinds.TooManyRequests>

/// 431 Request Header Fields Too Large.
public typealias HTTPRequestHeaderFieldsTooLarge = HTTPStatusException<HTTPExceptionKinds.RequestHeaderFieldsTooLarge>

/// 451 Unavailable For Legal Reasons.
public typealias HTTPUnavailableForLegalReasons = HTTPStatusException<HTTPExceptionKinds.UnavailableForLegalReasons>


// MARK: Server errors (5xx).

/// 500 Internal Server Error.
public typealias HTTPInternalServerError = HTTPStatusException<HTTPExceptionKinds.InternalServerError>

/// 501 Not Implemented.
public typealias HTTPNotImplemented = HTTPStatusException<HTTPExceptionKinds.NotImplemented>

/// 502 Bad Gateway.
public typealias HTTPBadGateway = HTTPStatusException<HTTPExceptionKinds.BadGateway>

/// 503 Service Unavailable.
public typealias HTTPServiceUnavailable = HTTPStatusException<HTTPExceptionKinds.ServiceUnavailable>

/// 504 Gateway Timeout.
public typealias HTTPGatewayTimeout = HTTPStatusException<HTTPExceptionKinds.GatewayTimeout>

/// 505 HTTP Version Not Supported.
public typealias HTTPVersionNotSupported = HTTPStatusException<HTTPExceptionKinds.VersionNotSupported>

/// 506 Variant Also Negotiates.
public typealias HTTPVariantAlsoNegotiates = HTTPStatusException<HTTPExceptionKinds.VariantAlsoNegotiates>

/// 507 Insufficient Storage.
public typealias HTTPInsufficientStorage = HTTPStatusException<HTTPExceptionKinds.InsufficientStorage>

/// 510 Not Extended.
public typealias HTTPNotExtended = HTTPStatusException<HTTPExceptionKinds.NotExtended>

/// 511 Network Authentication Required.
public typealias HTTPNetworkAuthenticationRequired = HTTPStatusException<HTTPExceptionKinds.NetworkAuthenticationRequired>
/// The kinds of ``HTTPStatusException``: one per status of the family.
public enum HTTPExceptionKinds {
    // MARK: Redirects (3xx): thrown with the `location` to go to; 304 is a plain status.

    /// 300 Multiple Choices.
    public enum MultipleChoices: HTTPRedirectionKind {
        public static let status = HTTPResponse.Status(code: 300, reasonPhrase: "Multiple Choices")
    }

    /// 301 Moved Permanently.
    public enum MovedPermanently: HTTPRedirectionKind {
        public static let status = HTTPResponse.Status(code: 301, reasonPhrase: "Moved Permanently")
    }

    /// 302 Found.
    public enum Found: HTTPRedirectionKind {
        public static let status = HTTPResponse.Status(code: 302, reasonPhrase: "Found")
    }

    /// 303 See Other.
    public enum SeeOther: HTTPRedirectionKind {
        public static let status = HTTPResponse.Status(code: 303, reasonPhrase: "See Other")
    }

    /// 304 Not Modified.
    public enum NotModified: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 304, reasonPhrase: "Not Modified")
    }

    /// 305 Use Proxy.
    public enum UseProxy: HTTPRedirectionKind {
        public static let status = HTTPResponse.Status(code: 305, reasonPhrase: "Use Proxy")
    }

    /// 307 Temporary Redirect.
    public enum TemporaryRedirect: HTTPRedirectionKind {
        public static let status = HTTPResponse.Status(code: 307, reasonPhrase: "Temporary Redirect")
    }

    /// 308 Permanent Redirect.
    public enum PermanentRedirect: HTTPRedirectionKind {
        public static let status = HTTPResponse.Status(code: 308, reasonPhrase: "Permanent Redirect")
    }

    // MARK: Client errors (4xx).

    /// 401 Unauthorized.
    public enum Unauthorized: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 401, reasonPhrase: "Unauthorized")
    }

    /// 402 Payment Required.
    public enum PaymentRequired: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
    }

    /// 403 Forbidden.
    public enum Forbidden: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 403, reasonPhrase: "Forbidden")
    }

    /// 404 Not Found.
    public enum NotFound: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 404, reasonPhrase: "Not Found")
    }

    /// 406 Not Acceptable.
    public enum NotAcceptable: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 406, reasonPhrase: "Not Acceptable")
    }

    /// 407 Proxy Authentication Required.
    public enum ProxyAuthenticationRequired: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 407, reasonPhrase: "Proxy Authentication Required")
    }

    /// 408 Request Timeout.
    public enum RequestTimeout: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 408, reasonPhrase: "Request Timeout")
    }

    /// 409 Conflict.
    public enum Conflict: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 409, reasonPhrase: "Conflict")
    }

    /// 410 Gone.
    public enum Gone: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 410, reasonPhrase: "Gone")
    }

    /// 411 Length Required.
    public enum LengthRequired: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 411, reasonPhrase: "Length Required")
    }

    /// 412 Precondition Failed.
    public enum PreconditionFailed: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 412, reasonPhrase: "Precondition Failed")
    }

    /// 413 Content Too Large.
    public enum RequestEntityTooLarge: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 413, reasonPhrase: "Content Too Large")
    }

    /// 414 URI Too Long.
    public enum RequestURITooLong: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 414, reasonPhrase: "URI Too Long")
    }

    /// 415 Unsupported Media Type.
    public enum UnsupportedMediaType: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 415, reasonPhrase: "Unsupported Media Type")
    }

    /// 416 Range Not Satisfiable.
    public enum RequestRangeNotSatisfiable: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 416, reasonPhrase: "Range Not Satisfiable")
    }

    /// 417 Expectation Failed.
    public enum ExpectationFailed: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 417, reasonPhrase: "Expectation Failed")
    }

    /// 421 Misdirected Request.
    public enum MisdirectedRequest: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 421, reasonPhrase: "Misdirected Request")
    }

    /// 422 Unprocessable Content.
    public enum UnprocessableEntity: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 422, reasonPhrase: "Unprocessable Content")
    }

    /// 424 Failed Dependency.
    public enum FailedDependency: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
    }

    /// 426 Upgrade Required.
    public enum UpgradeRequired: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 426, reasonPhrase: "Upgrade Required")
    }

    /// 428 Precondition Required.
    public enum PreconditionRequired: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 428, reasonPhrase: "Precondition Required")
    }

    /// 429 Too Many Requests.
    public enum TooManyRequests: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 429, reasonPhrase: "Too Many Requests")
    }

    /// 431 Request Header Fields Too Large.
    public enum RequestHeaderFieldsTooLarge: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 431, reasonPhrase: "Request Header Fields Too Large")
    }

    /// 451 Unavailable For Legal Reasons.
    public enum UnavailableForLegalReasons: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 451, reasonPhrase: "Unavailable For Legal Reasons")
    }

    // MARK: Server errors (5xx).

    /// 500 Internal Server Error.
    public enum InternalServerError: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 500, reasonPhrase: "Internal Server Error")
    }

    /// 501 Not Implemented.
    public enum NotImplemented: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 501, reasonPhrase: "Not Implemented")
    }

    /// 502 Bad Gateway.
    public enum BadGateway: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 502, reasonPhrase: "Bad Gateway")
    }

    /// 503 Service Unavailable.
    public enum ServiceUnavailable: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 503, reasonPhrase: "Service Unavailable")
    }

    /// 504 Gateway Timeout.
    public enum GatewayTimeout: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 504, reasonPhrase: "Gateway Timeout")
    }

    /// 505 HTTP Version Not Supported.
    public enum VersionNotSupported: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 505, reasonPhrase: "HTTP Version Not Supported")
    }

    /// 506 Variant Also Negotiates.
    public enum VariantAlsoNegotiates: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 506, reasonPhrase: "Variant Also Negotiates")
    }

    /// 507 Insufficient Storage.
    public enum InsufficientStorage: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
    }

    /// 510 Not Extended.
    public enum NotExtended: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 510, reasonPhrase: "Not Extended")
    }

    /// 511 Network Authentication Required.
    public enum NetworkAuthenticationRequired: HTTPErrorKind {
        public static let status = HTTPResponse.Status(code: 511, reasonPhrase: "Network Authentication Required")
    }

}
