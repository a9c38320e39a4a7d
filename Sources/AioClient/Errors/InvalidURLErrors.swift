/// What sets one ``InvalidURLFailure`` apart: whether the URL came from a redirect, and
/// whether its scheme was the trouble.
public protocol InvalidURLKind: Sendable {
    /// The error's aiohttp name.
    static var name: String { get }
    /// The error's message for `url` and what is wrong with it.
    static func describe(url: String, reason: String) -> String
}

/// A URL the client cannot request: the one implementation behind ``InvalidUrlClientError``,
/// ``NonHttpUrlClientError`` and their redirect forms, each a name for this type with its kind.
public struct InvalidURLFailure<Kind: InvalidURLKind>: InvalidURL {
    public let url: String
    /// What is wrong with it.
    public let reason: String

    /// An error for `url`, saying `reason`.
    public init(_ url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var name: String { Kind.name }

    public var description: String { Kind.describe(url: self.url, reason: self.reason) }
}

extension InvalidURLFailure where Kind: NonHTTPSchemeKind {
    /// An error for `url`, whose scheme is not `http` or `https`.
    public init(_ url: String) {
        self.init(url, reason: "only http:// and https:// can be requested")
    }
}

/// A kind whose trouble is the scheme.
public protocol NonHTTPSchemeKind: InvalidURLKind {}

/// A URL that cannot be parsed, has no host, or a host that is not canonical.
public typealias InvalidUrlClientError = InvalidURLFailure<InvalidURLKinds.Invalid>
/// A URL whose scheme is not `http` or `https`.
public typealias NonHttpUrlClientError = InvalidURLFailure<InvalidURLKinds.NonHTTP>
/// A redirect's `Location` that cannot be followed.
public typealias InvalidUrlRedirectClientError = InvalidURLFailure<InvalidURLKinds.InvalidRedirect>
/// A redirect to a scheme other than `http` or `https` (`file:`, `ftp:`, `javascript:`).
public typealias NonHttpUrlRedirectClientError = InvalidURLFailure<InvalidURLKinds.NonHTTPRedirect>

/// The kinds of ``InvalidURLFailure``.
public enum InvalidURLKinds {
    /// A URL given to the client.
    public enum Invalid: InvalidURLKind {
        public static let name = "InvalidUrlClientError"
        public static func describe(url: String, reason: String) -> String { "Invalid URL '\(url)': \(reason)" }
    }

    /// A URL with another scheme.
    public enum NonHTTP: NonHTTPSchemeKind {
        public static let name = "NonHttpUrlClientError"
        public static func describe(url: String, reason: String) -> String { "Not an HTTP URL: '\(url)' (\(reason))" }
    }

    /// A redirect's location.
    public enum InvalidRedirect: InvalidURLKind {
        public static let name = "InvalidUrlRedirectClientError"
        public static func describe(url: String, reason: String) -> String { "Invalid redirect URL '\(url)': \(reason)" }
    }

    /// A redirect to another scheme.
    public enum NonHTTPRedirect: NonHTTPSchemeKind {
        public static let name = "NonHttpUrlRedirectClientError"
        public static func describe(url: String, reason: String) -> String { "Redirect to a non-HTTP URL refused: '\(url)'" }
    }
}
