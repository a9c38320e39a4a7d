#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AioWire
import NIOCore

/// Encodes `Encodable` values as JSON straight into a `ByteBuffer`, as Foundation's
/// `JSONEncoder` with its default options writes them: the same values, escapes (`/` as `\/`),
/// numbers (`3` for `3.0`), `Data` as base64, `URL` as its string, `Date` as seconds since 2001,
/// and an error for a non-finite number, but without building a tree of the value first, keys
/// in the order they are encoded.
///
/// A value that uses the `Encoder` API out of order (a container written to after a sibling
/// was started, or `superEncoder`), or holds a `Decimal`, is handed to `JSONEncoder` whole,
/// so the output is always what `JSONEncoder` would give.
///
/// ```swift
/// var buffer = ByteBuffer()
/// try JSONBufferEncoder().encode(["message": "Hello, World!"], into: &buffer)
/// ```
public struct JSONBufferEncoder: Sendable {
    /// An encoder with `JSONEncoder`'s default options.
    public init() {}

    /// Appends the JSON text of `value` to `buffer`.
    ///
    /// - Throws: `EncodingError` as `JSONEncoder` does: for a non-finite number, or a top-level
    ///   value that encodes nothing.
    public func encode<Value: Encodable>(_ value: Value, into buffer: inout ByteBuffer) throws {
        let writer = JSONStreamWriter()
        do {
            try writer.encodeTopLevel(value)
        } catch is JSONStreamWriter.OutOfOrder {
            buffer.writeBytes(try JSONEncoder().encode(value))
            return
        }
        buffer.writeBytes(writer.bytes)
    }
}

/// The state of one ``JSONBufferEncoder/encode(_:into:)``: the text so far and the containers
/// still open, innermost last.
final class JSONStreamWriter: Encoder {
    /// The value cannot be written in one pass: `JSONEncoder` gets it.
    struct OutOfOrder: Error {}

    /// An open array or object.
    struct Frame {
        var id: Int
        var isObject: Bool
        var count = 0
    }

    // Used by one encode call, on its thread, and never passed inout to code that reaches the
    // writer again: the dynamic exclusivity checks on these (a thread-local access set per
    // access, a third of a small value's encoding) are left out.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var frames: [Frame] = []
    @exclusivity(unchecked) var nextID = 0
    /// How many containers were open when the value being encoded began.
    @exclusivity(unchecked) var valueDepth = 0
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() {
        self.bytes.reserveCapacity(256)
    }

    func encodeTopLevel<Value: Encodable>(_ value: Value) throws {
        let start = self.bytes.count
        try self.encodeValue(value, emptyAsObject: false)
        if self.failed { throw OutOfOrder() }
        if self.bytes.count == start {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [], debugDescription: "Top-level \(Value.self) did not encode any values.")
            )
        }
    }

    /// Writes `value` where the writer stands, closing what it opened; a value that asks for no
    /// container is an empty object, as with JSONEncoder (unless not `emptyAsObject`: at the top,
    /// where JSONEncoder throws).
    func encodeValue<Value: Encodable>(_ value: Value, emptyAsObject: Bool = true) throws {
        // The types JSONEncoder writes its own way (compared by metatype: a cast per value
        // would cost more than the rest of a small value's encoding).
        if Value.self == Data.self {
            self.writeString((value as! Data).base64EncodedString())
            return
        }
        if Value.self == URL.self {
            self.writeString((value as! URL).absoluteString)
            return
        }
        if Value.self == Decimal.self { throw OutOfOrder() }
        let depth = self.frames.count
        let start = self.bytes.count
        let outer = self.valueDepth
        self.valueDepth = depth
        defer { self.valueDepth = outer }
        try value.encode(to: self)
        self.close(downTo: depth)
        if emptyAsObject, self.bytes.count == start { self.bytes += [UInt8(ascii: "{"), UInt8(ascii: "}")] }
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        self.checkFirstContainer()
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(writer: self, frame: self.open(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        self.checkFirstContainer()
        return JSONUnkeyedContainer(writer: self, frame: self.open(object: false))
    }

    /// A value asking for a second container (a subclass after `super.encode(to:)`, say) shares
    /// it in JSONEncoder, keys merged: written in one pass it would be a second object inside
    /// the first. Such a value goes to JSONEncoder.
    private func checkFirstContainer() {
        if self.frames.count > self.valueDepth { self.failed = true }
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(writer: self, depth: self.frames.count)
    }

    /// Opens an array or object and returns its id.
    func open(object: Bool) -> Int {
        self.bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        self.nextID += 1
        self.frames.append(Frame(id: self.nextID, isObject: object))
        return self.nextID
    }

    /// Closes the containers above `depth`: their values are complete.
    func close(downTo depth: Int) {
        while self.frames.count > depth {
            let frame = self.frames.removeLast()
            self.bytes.append(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Makes container `id` the innermost (closing any nested ones it is done with) and writes
    /// the separator before its next element.
    func beginElement(of id: Int) throws {
        guard let index = self.frames.lastIndex(where: { $0.id == id }) else {
            // Marked as well as thrown: a value may swallow the error.
            self.failed = true
            throw OutOfOrder()
        }
        self.close(downTo: index + 1)
        if self.frames[index].count > 0 { self.bytes.append(UInt8(ascii: ",")) }
        self.frames[index].count += 1
    }

    /// Writes `"key":` in object `id`.
    func beginMember(_ key: some CodingKey, of id: Int) throws {
        try self.beginElement(of: id)
        self.writeString(key.stringValue)
        self.bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Scalars

    func writeNull() { self.bytes += Array("null".utf8) }

    func writeBool(_ value: Bool) { self.bytes += value ? Array("true".utf8) : Array("false".utf8) }

    func writeInteger(_ value: some BinaryInteger) { self.bytes += value.description.utf8 }

    /// A floating-point number as `JSONEncoder` writes it: its description without `.0`.
    func writeFloat<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Value) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: self.codingPath, debugDescription: "Unable to encode \(Value.self).\(value) directly in JSON.")
            )
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        self.bytes += text.utf8
    }

    /// A string as `JSONEncoder` escapes it: quotes, backslashes and slashes, control
    /// characters in their short forms or as `\u00XX`; everything else as it is.
    func writeString(_ value: String) {
        var value = value
        self.bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: their bytes go in at once.
        let plain = value.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") })
            else { return false }
            self.bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            self.bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "/"): self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "/")]
            case 0x08: self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: self.bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20:
                self.bytes += Array("\\u00".utf8)
                self.bytes.append(Hex.lowerDigits[Int(byte >> 4)])
                self.bytes.append(Hex.lowerDigits[Int(byte & 0xF)])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Whether a container could not be made in order: the output would lack it.
    @exclusivity(unchecked) var failed = false

    /// A nested container's frame, or -1 (after marking the writer failed) when `begin`, the
    /// separator before it, found its parent closed.
    func nested(object: Bool, after begin: () throws -> Void) -> Int {
        do {
            try begin()
            return self.open(object: object)
        } catch {
            self.failed = true
            return -1
        }
    }
}
