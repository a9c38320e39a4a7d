/// Builds compact JSON text with keys in the order they are written, for output meant to be
/// read by people and scripts alike.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma = [false]

    mutating func beginObject() { self.open("{") }
    mutating func endObject() { self.close("}") }
    mutating func beginArray() { self.open("[") }
    mutating func endArray() { self.close("]") }

    /// Writes `"key":`; the value written next belongs to it.
    mutating func key(_ key: String) {
        self.separate()
        self.appendString(key)
        self.text += ":"
        self.needsComma[self.needsComma.count - 1] = false
    }

    mutating func string(_ value: String) {
        self.separate()
        self.appendString(value)
    }

    mutating func number(_ value: Int) {
        self.separate()
        self.text += String(value)
    }

    mutating func bool(_ value: Bool) {
        self.separate()
        self.text += value ? "true" : "false"
    }

    mutating func null() {
        self.separate()
        self.text += "null"
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

    private mutating func open(_ bracket: String) {
        self.separate()
        self.text += bracket
        self.needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        self.needsComma.removeLast()
        self.text += bracket
        self.needsComma[self.needsComma.count - 1] = true
    }

    private mutating func separate() {
        if self.needsComma[self.needsComma.count - 1] {
            self.text += ","
        }
        self.needsComma[self.needsComma.count - 1] = true
    }

    private mutating func appendString(_ value: String) {
        self.text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": self.text += "\\\""
            case "\\": self.text += "\\\\"
            case "\n": self.text += "\\n"
            case "\r": self.text += "\\r"
            case "\t": self.text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                self.text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                self.text.unicodeScalars.append(scalar)
            }
        }
        self.text += "\""
    }
}
