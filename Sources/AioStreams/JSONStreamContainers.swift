// The containers a JSONStreamWriter hands to the values it encodes: each writes where the writer
// stands, after checking that its array or object is still open.

/// An object of a ``JSONStreamWriter``.
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    let frame: Int
    var codingPath: [any CodingKey] { self.writer.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeNull()
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeString(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeBool(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        try self.writer.writeFloat(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        try self.writer.writeFloat(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int8, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int16, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int32, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try self.writer.beginMember(key, of: self.frame)
        try self.writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let (writer, frame) = (self.writer, self.frame)
        let nested = writer.nested(object: true) { try writer.beginMember(key, of: frame) }
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(writer: writer, frame: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let (writer, frame) = (self.writer, self.frame)
        return JSONUnkeyedContainer(writer: writer, frame: writer.nested(object: false) { try writer.beginMember(key, of: frame) })
    }

    mutating func superEncoder() -> any Encoder { JSONOutOfOrderEncoder(writer: self.writer) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { JSONOutOfOrderEncoder(writer: self.writer) }
}

/// An array of a ``JSONStreamWriter``.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONStreamWriter
    let frame: Int
    var codingPath: [any CodingKey] { self.writer.codingPath }
    var count: Int { self.writer.frames.last { $0.id == self.frame }?.count ?? 0 }

    mutating func encodeNil() throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeNull()
    }

    mutating func encode(_ value: String) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeString(value)
    }

    mutating func encode(_ value: Bool) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeBool(value)
    }

    mutating func encode(_ value: Double) throws {
        try self.writer.beginElement(of: self.frame)
        try self.writer.writeFloat(value)
    }

    mutating func encode(_ value: Float) throws {
        try self.writer.beginElement(of: self.frame)
        try self.writer.writeFloat(value)
    }

    mutating func encode(_ value: Int) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int8) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int16) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int32) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int64) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt8) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt16) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt32) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt64) throws {
        try self.writer.beginElement(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try self.writer.beginElement(of: self.frame)
        try self.writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (writer, frame) = (self.writer, self.frame)
        let nested = writer.nested(object: true) { try writer.beginElement(of: frame) }
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(writer: writer, frame: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (writer, frame) = (self.writer, self.frame)
        return JSONUnkeyedContainer(writer: writer, frame: writer.nested(object: false) { try writer.beginElement(of: frame) })
    }

    mutating func superEncoder() -> any Encoder { JSONOutOfOrderEncoder(writer: self.writer) }
}

/// The one value of a ``JSONStreamWriter`` at some depth.
struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONStreamWriter
    /// How many containers were open when it was made: only then may it write.
    let depth: Int
    var codingPath: [any CodingKey] { self.writer.codingPath }

    private func check() throws {
        guard self.writer.frames.count == self.depth else { throw JSONStreamWriter.OutOfOrder() }
    }

    mutating func encodeNil() throws {
        try self.check()
        self.writer.writeNull()
    }

    mutating func encode(_ value: String) throws {
        try self.check()
        self.writer.writeString(value)
    }

    mutating func encode(_ value: Bool) throws {
        try self.check()
        self.writer.writeBool(value)
    }

    mutating func encode(_ value: Double) throws {
        try self.check()
        try self.writer.writeFloat(value)
    }

    mutating func encode(_ value: Float) throws {
        try self.check()
        try self.writer.writeFloat(value)
    }

    mutating func encode(_ value: Int) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int8) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int16) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int32) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int64) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt8) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt16) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt32) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt64) throws {
        try self.check()
        self.writer.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try self.check()
        try self.writer.encodeValue(value)
    }
}

/// What `superEncoder` gives: every use fails, and the value goes to `JSONEncoder` (even if its
/// code swallows the errors: the writer is marked failed).
struct JSONOutOfOrderEncoder: Encoder {
    init(writer: JSONStreamWriter?) {
        writer?.failed = true
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONFailingKeyed<Key>())
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { JSONFailingUnkeyed() }
    func singleValueContainer() -> any SingleValueEncodingContainer { JSONFailingSingle() }
}

struct JSONFailingKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { throw JSONStreamWriter.OutOfOrder() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw JSONStreamWriter.OutOfOrder() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(JSONFailingKeyed<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { JSONFailingUnkeyed() }
    mutating func superEncoder() -> any Encoder { JSONOutOfOrderEncoder(writer: nil) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { JSONOutOfOrderEncoder(writer: nil) }
}

struct JSONFailingUnkeyed: UnkeyedEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }
    mutating func encodeNil() throws { throw JSONStreamWriter.OutOfOrder() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw JSONStreamWriter.OutOfOrder() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(JSONFailingKeyed<NestedKey>())
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { JSONFailingUnkeyed() }
    mutating func superEncoder() -> any Encoder { JSONOutOfOrderEncoder(writer: nil) }
}

struct JSONFailingSingle: SingleValueEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil() throws { throw JSONStreamWriter.OutOfOrder() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw JSONStreamWriter.OutOfOrder() }
}
