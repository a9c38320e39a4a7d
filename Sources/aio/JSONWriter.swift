import AioHTTP

/// Builds JSON text, the one writer of the CLI: compact, keys in the order written (`aio parse`,
/// `aio echo`: output for people and scripts alike), or as Python's `json.dumps` writes it
/// (httpbin's answers: `", "` and `": "` between items, every non-ASCII character escaped, and
/// indented when asked), so clients see the shapes they expect.
struct JSONWriter {
    /// How the text is laid out.
    enum Style {
        /// No spaces; non-ASCII characters as they are.
        case compact
        /// Python's `json.dumps(ensure_ascii=True, indent=indent)`.
        case python(indent: Int?)
    }

    let style: Style
    private(set) var text = ""
    /// Values written so far at each open level, the top level first.
    private var counts = [0]
    /// A key was just written: its value follows without a separator.
    private var afterKey = false
    /// Indentation by depth, made once each.
    private var pads: [String] = [""]

    init(style: Style = .compact) {
        self.style = style
    }

    mutating func beginObject() { self.open("{") }
    mutating func endObject() { self.close("}") }
    mutating func beginArray() { self.open("[") }
    mutating func endArray() { self.close("]") }

    /// Writes `"key":`; the value written next belongs to it.
    mutating func key(_ key: String) {
        self.beginValue()
        self.appendString(key)
        if case .compact = self.style { self.text += ":" } else { self.text += ": " }
        self.afterKey = true
    }

    mutating func string(_ value: String) {
        self.beginValue()
        self.appendString(value)
    }

    mutating func number(_ value: Int) {
        self.beginValue()
        self.text += String(value)
    }

    /// A number, written without a fraction when it is a whole one (as Python writes ints).
    mutating func number(_ value: Double) {
        self.beginValue()
        self.text += value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    mutating func bool(_ value: Bool) {
        self.beginValue()
        self.text += value ? "true" : "false"
    }

    mutating func null() {
        self.beginValue()
        self.text += "null"
    }

    /// A value that is already JSON text (`aio post`'s `name:=json` items), as it is.
    mutating func raw(_ json: String) {
        self.beginValue()
        self.text += json
    }

    /// `[[name, value], …]`.
    mutating func pairs(_ pairs: [(String, String)]) {
        self.beginArray()
        for (name, value) in pairs {
            self.beginArray()
            self.string(name)
            self.string(value)
            self.endArray()
        }
        self.endArray()
    }

    private var indent: Int? {
        if case .python(let indent) = self.style { return indent }
        return nil
    }

    private mutating func open(_ bracket: String) {
        self.beginValue()
        self.text += bracket
        self.counts.append(0)
    }

    private mutating func close(_ bracket: String) {
        let written = self.counts.removeLast()
        if written > 0, self.indent != nil {
            self.text += "\n" + self.pad(self.counts.count - 1)
        }
        self.text += bracket
    }

    /// The separator before a value: none after a key, a comma after another value, and a new
    /// indented line when indenting.
    private mutating func beginValue() {
        if self.afterKey {
            self.afterKey = false
            return
        }
        let depth = self.counts.count - 1
        if self.counts[depth] > 0 {
            switch self.style {
            case .compact, .python(indent: .some): self.text += ","
            case .python(indent: nil): self.text += ", "
            }
        }
        if depth > 0, self.indent != nil {
            self.text += "\n" + self.pad(depth)
        }
        self.counts[depth] += 1
    }

    private mutating func pad(_ depth: Int) -> String {
        while self.pads.count <= depth {
            self.pads.append(String(repeating: " ", count: (self.indent ?? 0) * self.pads.count))
        }
        return self.pads[depth]
    }

    private mutating func appendString(_ value: String) {
        self.text += "\""
        let asciiOnly = if case .python = self.style { true } else { false }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": self.text += "\\\""
            case "\\": self.text += "\\\\"
            case "\n": self.text += "\\n"
            case "\r": self.text += "\\r"
            case "\t": self.text += "\\t"
            case "\u{8}" where asciiOnly: self.text += "\\b"
            case "\u{C}" where asciiOnly: self.text += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (asciiOnly && scalar.value > 0x7F):
                for unit in String(scalar).utf16 {
                    self.text += "\\u" + Hex.string(UInt64(unit), width: 4)
                }
            default:
                self.text.unicodeScalars.append(scalar)
            }
        }
        self.text += "\""
    }
}
