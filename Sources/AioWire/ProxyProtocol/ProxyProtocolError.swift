/// A PROXY protocol header that is not one, or breaks the specification: the connection must
/// be closed before any HTTP is read from it.
public struct ProxyProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public let reason: String

    /// An error saying `reason`.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "Bad PROXY protocol header: \(self.reason)" }
}
