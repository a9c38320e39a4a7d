import HTTPTypes

/// An error in an HTTP message, with the response a server gives for it.
///
/// The family mirrors aiohttp's `HttpProcessingError`: every concrete error carries the status
/// code to answer with, a short human-readable message, optional response header fields (such as
/// `Allow` for ``HTTPMethodNotAllowed``) and, for parser errors, the byte offset in the stream at
/// which parsing stopped. Catch the protocol to handle any of them:
///
/// ```swift
/// do {
///     while let event = try parser.decode(buffer: &buffer) { ... }
/// } catch let error as any HTTPProcessingError {
///     respond(status: error.status, text: error.message)
/// }
/// ```
public protocol HTTPProcessingError: Error, Sendable, CustomStringConvertible {
    /// The status a server answers this error with.
    var status: HTTPResponse.Status { get }
    /// A short reason, safe to send to the peer.
    var message: String { get }
    /// Header fields that belong in the error response.
    var headers: HTTPFields { get }
    /// The offset, counted from the first byte the parser was given, at which parsing stopped;
    /// nil for errors that do not come from parsing bytes.
    var offset: Int? { get }
}

extension HTTPProcessingError {
    /// The numeric status code, as aiohttp's `code`.
    public var code: Int { self.status.code }

    /// No extra header fields unless the error defines them.
    public var headers: HTTPFields { [:] }

    /// `400, message: '…'` and the offset when known, in aiohttp's style.
    public var description: String {
        var text = "\(self.status.code), message: '\(self.message)'"
        if let offset = self.offset {
            text += " at byte \(offset)"
        }
        return text
    }
}
