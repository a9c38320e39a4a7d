/// Colours pretty-printed JSON for a terminal as httpie and jq do: keys blue, strings green,
/// numbers cyan, `true`/`false`/`null` magenta, punctuation as it is. The text must be JSON (as
/// `JSONSerialization` printed it); escapes inside strings are kept whole.
enum JSONColours {
    private static let key = "\u{1B}[34m"
    private static let string = "\u{1B}[32m"
    private static let number = "\u{1B}[36m"
    private static let literal = "\u{1B}[35m"
    private static let reset = "\u{1B}[0m"

    static func paint(_ json: String) -> String {
        let scalars = Array(json.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        func emit(_ colour: String, _ range: Range<Int>) {
            out.append(contentsOf: colour.unicodeScalars)
            out.append(contentsOf: scalars[range])
            out.append(contentsOf: Self.reset.unicodeScalars)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\"":
                var end = index + 1
                while end < scalars.count, scalars[end] != "\"" { end += scalars[end] == "\\" ? 2 : 1 }
                end = min(end + 1, scalars.count)
                // A string followed by `:` (after spaces) is a key.
                var next = end
                while next < scalars.count, scalars[next] == " " { next += 1 }
                emit(next < scalars.count && scalars[next] == ":" ? Self.key : Self.string, index..<end)
                index = end
            case "-", "0"..."9":
                var end = index + 1
                while end < scalars.count, "0123456789.eE+-".unicodeScalars.contains(scalars[end]) { end += 1 }
                emit(Self.number, index..<end)
                index = end
            case "t", "f", "n":
                var end = index + 1
                while end < scalars.count, ("a"..."z").contains(scalars[end]) { end += 1 }
                emit(Self.literal, index..<end)
                index = end
            default:
                out.append(scalar)
                index += 1
            }
        }
        return String(out)
    }
}
