/// An ordered list of key-value pairs where a key may repeat: query strings and form fields,
/// as aiohttp's `MultiDict`.
///
/// The subscript gives the first value for a key; ``all(_:)`` gives every one.
public struct MultiDict<Value: Sendable>: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// The pairs, in order.
    public private(set) var pairs: [(key: String, value: Value)]

    /// An empty multi-dict.
    public init() {
        self.pairs = []
    }

    /// A multi-dict holding `pairs` in order.
    public init(_ pairs: [(String, Value)]) {
        self.pairs = pairs.map { (key: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements)
    }

    /// The first value for `key`; setting replaces every value for it with one.
    public subscript(key: String) -> Value? {
        get { self.pairs.first { $0.key == key }?.value }
        set {
            self.pairs.removeAll { $0.key == key }
            if let newValue { self.pairs.append((key, newValue)) }
        }
    }

    /// Every value for `key`, in order.
    public func all(_ key: String) -> [Value] {
        self.pairs.filter { $0.key == key }.map(\.value)
    }

    /// Adds a pair, keeping the ones already there.
    public mutating func append(_ key: String, _ value: Value) {
        self.pairs.append((key, value))
    }

    /// The distinct keys, in order of first appearance.
    public var keys: [String] {
        var seen = Set<String>()
        return self.pairs.compactMap { seen.insert($0.key).inserted ? $0.key : nil }
    }

    /// The number of pairs.
    public var count: Int { self.pairs.count }

    /// Whether there are no pairs.
    public var isEmpty: Bool { self.pairs.isEmpty }

    public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> {
        self.pairs.makeIterator()
    }
}

extension MultiDict: Equatable where Value: Equatable {
    public static func == (lhs: MultiDict, rhs: MultiDict) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.key == $1.key && $0.value == $1.value }
    }
}
