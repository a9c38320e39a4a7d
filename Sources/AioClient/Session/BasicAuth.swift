#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// HTTP Basic credentials (RFC 7617), as aiohttp's `BasicAuth`: sent as `Authorization`, in
/// UTF-8. Taken from a URL's userinfo when the request has no `Authorization` of its own.
public struct BasicAuth: Sendable, Hashable {
    /// The user name; it cannot contain a colon.
    public let login: String
    /// The password.
    public let password: String

    /// Credentials for `login` and `password`.
    ///
    /// - Throws: ``ClientRequestError`` when `login` contains a colon (RFC 7617 §2).
    public init(login: String, password: String = "") throws {
        guard !login.contains(":") else { throw ClientRequestError("A Basic auth login cannot contain ':'") }
        self.login = login
        self.password = password
    }

    /// The `Authorization` field's value: `Basic` and the base64 of `login:password`.
    public var headerValue: String {
        "Basic " + Data("\(self.login):\(self.password)".utf8).base64EncodedString()
    }
}
