import AioWire

/// An `If-Match` or `If-None-Match` value: `*` or a list of entity tags.
struct ETagList {
    let any: Bool
    let tags: [(weak: Bool, opaque: String)]

    init(_ value: String) {
        self.any = value.trimmingSpaces == "*"
        self.tags = value.split(separator: ",").compactMap { element in
            var tag = Substring(element.trimmingSpaces)
            let weak = tag.hasPrefix("W/")
            if weak { tag = tag.dropFirst(2) }
            guard tag.count >= 2, tag.first == "\"", tag.last == "\"" else { return nil }
            return (weak, String(tag))
        }
    }

    /// Whether `etag` (a strong tag) matches, by weak comparison or by strong comparison.
    func matches(_ etag: String, weak: Bool) -> Bool {
        if self.any { return true }
        return self.tags.contains { $0.opaque == etag && (weak || !$0.weak) }
    }
}
