/// A value that would break out of its place in a serialized head: a request-target or
/// authority holding CR, LF, NUL, whitespace or another byte its grammar forbids.
///
/// Thrown by the head serializers instead of writing bytes that a peer would read as a second
/// header line or a second request (header injection, request splitting).
public struct HeaderInjectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which part was refused: "request-target", "authority" or "scheme".
    public let part: String
    /// The refused value, with bytes outside printable ASCII escaped.
    public let value: String
    /// The index of the first forbidden byte in the value's UTF-8.
    public let index: Int

    /// An error for `value` in `part`, first forbidden at `index`.
    public init(part: String, value: String, index: Int) {
        self.part = part
        self.value = value
        self.index = index
    }

    public var description: String {
        "Refusing to serialize \(self.part) '\(self.value)': forbidden byte at index \(self.index)"
    }
}
