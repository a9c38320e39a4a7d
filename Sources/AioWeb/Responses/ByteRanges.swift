import AioWire

/// A `Range: bytes=…` value against a representation of `size` bytes (RFC 9110 §14.1.2).
enum ByteRanges: Equatable {
    /// Not a byte-range set we understand: serve the whole representation.
    case none
    /// Well-formed, but no range overlaps the representation: 416.
    case unsatisfiable
    case ranges([ClosedRange<Int>])

    /// More ranges than this are ignored, as a defence against abuse.
    static let maximumCount = 100

    /// The ranges of `header` (the unit's name in any case, as RFC 9110 §14.1 has it). Ranges
    /// that overlap so much that together they are longer than the representation are ignored,
    /// as nginx does: one small request must not make the server send the file many times over.
    static func parse(_ header: String, size: Int) -> ByteRanges {
        guard header.utf8.count > 6, header.prefix(6).lowercased() == "bytes=" else { return .none }
        let specs = header.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count <= Self.maximumCount else { return .none }
        var ranges: [ClosedRange<Int>] = []
        for spec in specs {
            let parts = spec.trimmingSpaces.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return .none }
            let first = parts[0].isEmpty ? nil : Int(parts[0])
            let last = parts[1].isEmpty ? nil : Int(parts[1])
            guard parts[0].allSatisfy(\.isASCIIDigit), parts[1].allSatisfy(\.isASCIIDigit) else { return .none }
            switch (first, last) {
            case (let start?, let end?):
                guard start <= end else { return .none }
                if start < size { ranges.append(start...min(end, size - 1)) }
            case (let start?, nil):
                if start < size { ranges.append(start...(size - 1)) }
            case (nil, let suffix?):
                if suffix > 0, size > 0 { ranges.append(max(0, size - suffix)...(size - 1)) }
            case (nil, nil):
                return .none
            }
        }
        guard !ranges.isEmpty else { return .unsatisfiable }
        guard ranges.reduce(0, { $0 + $1.count }) <= size else { return .none }
        return .ranges(ranges)
    }
}

extension Character {
    /// `0` to `9`: the digits of HTTP's grammar (`isNumber` takes other scripts' too).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
