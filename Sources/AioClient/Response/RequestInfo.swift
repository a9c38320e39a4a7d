import HTTPTypes

/// The request a response answers, as aiohttp's `RequestInfo`: for logs and errors, where the
/// response alone does not say what was asked.
public struct RequestInfo: Sendable {
    /// The URL requested, without its fragment.
    public let url: String
    /// The URL as the caller gave it, fragment included (aiohttp's `real_url`).
    public let realURL: String
    /// The method.
    public let method: HTTPRequest.Method
    /// The header fields the caller and the middlewares gave (cookies from the jar included;
    /// not the fields the client adds itself, such as `Host` and the body's framing).
    public let headers: HTTPFields
}
