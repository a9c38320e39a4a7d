/// A typed key for application state, as aiohttp 3.9's `AppKey`: the value's type travels with
/// the key, so reading it needs no cast.
///
/// ```swift
/// let counterKey = AppKey<Counter>("counter")
/// app[counterKey] = Counter()
/// let counter = request.app[counterKey]!
/// ```
public struct AppKey<Value: Sendable>: Sendable, Hashable, CustomStringConvertible {
    /// The key's name, for debugging.
    public let name: String

    /// A key called `name` for values of type `Value`.
    public init(_ name: String, _ type: Value.Type = Value.self) {
        self.name = name
    }

    /// The storage key: name and type together, so keys of different types never collide.
    var storageKey: StateKey { StateKey(name: self.name, type: ObjectIdentifier(Value.self)) }

    public var description: String { "<AppKey(\(self.name), type=\(Value.self))>" }
}

/// Where application state is filed.
struct StateKey: Hashable, Sendable {
    let name: String
    let type: ObjectIdentifier
}
