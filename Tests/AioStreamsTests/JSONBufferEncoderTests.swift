import AioStreams
import AioTestSupport
import Foundation
import NIOCore
import Testing

/// JSONBufferEncoder writes what Foundation's JSONEncoder writes: compared as parsed values (the
/// order of keys differs: ours is the encoding order, Foundation's its dictionary's), and byte for
/// byte where no object is involved.
struct JSONBufferEncoderTests {
    static func ours<Value: Encodable>(_ value: Value) throws -> Data {
        var buffer = ByteBuffer()
        try JSONBufferEncoder().encode(value, into: &buffer)
        return Data(buffer.readableBytesView)
    }

    /// Both encoders' output parsed back: equal values, or the first difference.
    static func expectSameJSON<Value: Encodable>(_ value: Value, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let mine = try Self.ours(value)
        let foundation = try JSONEncoder().encode(value)
        let parsed = try JSONSerialization.jsonObject(with: mine, options: .fragmentsAllowed) as? NSObject
        let expected = try JSONSerialization.jsonObject(with: foundation, options: .fragmentsAllowed) as? NSObject
        #expect(
            parsed == expected,
            "\(String(decoding: mine, as: UTF8.self)) vs \(String(decoding: foundation, as: UTF8.self))",
            sourceLocation: sourceLocation
        )
    }

    struct Everything: Encodable {
        enum Kind: Encodable { case plain, tagged(Int, name: String), nested(Everything?) }
        var string = "a/b\"c\\d\u{0}\u{8}\u{c}\u{1f}\u{7f}\t\n\r é 😀"
        var integers: [Int] = [0, -1, .max, .min]
        var small: [Int8] = [.min, .max]
        var unsigned: [UInt64] = [0, .max]
        var doubles: [Double] = [3, 0.1, 1e16, 1e-7, -0.0, 123456789012345680, 1.5e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        var floats: [Float] = [1.1, 16777216, 1e20, .leastNonzeroMagnitude]
        var flags = [true, false]
        var present: Int? = 7
        var absent: Int? = nil
        var nulls: [Int?] = [1, nil]
        var byName: [String: [Int]] = ["a": [1], "b": []]
        var byNumber: [Int: String] = [1: "one", 2: "two"]
        var kinds: [Kind] = [.plain, .tagged(1, name: "x")]
        var date = Date(timeIntervalSinceReferenceDate: 12.5)
        var data = Data([0, 1, 2, 250])
        var url = URL(string: "https://example.com/a?b=c")!
        var empty = Empty()
        var child: [Everything] = []
    }

    struct Empty: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test func sameValuesAsFoundation() throws {
        var value = Everything()
        value.kinds.append(.nested(Everything()))
        value.child = [Everything(), Everything()]
        try Self.expectSameJSON(value)
        try Self.expectSameJSON([Everything()])
        try Self.expectSameJSON(["key": Everything()])
    }

    /// Without objects, the bytes themselves are Foundation's: escapes, number forms.
    @Test func sameBytesAsFoundation() throws {
        let values: [any Encodable] = [
            Everything().string, Everything().doubles, Everything().floats, Everything().integers, Everything().unsigned,
            [Everything().data], [Everything().url], [Everything().date], "", [String](), [[Int?]](arrayLiteral: [nil]), true, 42,
        ]
        for value in values {
            #expect(try Self.ours(value) == JSONEncoder().encode(value), "\(value)")
        }
    }

    /// What JSONEncoder refuses, refused alike.
    @Test func errorsAsFoundation() throws {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try Self.ours(["x": value]) }
        }
        #expect(throws: EncodingError.self) { try Self.ours(Float.nan) }
        #expect(throws: EncodingError.self) { try Self.ours(Empty()) }
        #expect(try Self.ours([Empty()]) == Data("[{}]".utf8))
    }

    /// Values that use the Encoder API out of order, hold a Decimal or need a super encoder come
    /// out as JSONEncoder writes them.
    @Test func outOfOrderValuesGoToFoundation() throws {
        struct LateWrite: Encodable {
            enum Key: CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                var list = container.nestedUnkeyedContainer(forKey: .a)
                try container.encode(1, forKey: .b)
                try list.encode(2)
            }
        }
        class Base: Encodable { var base = 1 }
        final class Derived: Base {
            var own = 2
            enum Key: CodingKey { case own }
            override func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(self.own, forKey: .own)
                try super.encode(to: container.superEncoder())
            }
        }
        try Self.expectSameJSON(LateWrite())
        try Self.expectSameJSON(["late": LateWrite()])
        try Self.expectSameJSON(Derived())
        try Self.expectSameJSON(["price": Decimal(string: "1.25")!])
        #expect(try Self.ours(Decimal(string: "1.25")!) == Data("1.25".utf8))
    }

    /// Random trees of objects, arrays and scalars, from a seeded generator.
    @Test(arguments: 0..<20)
    func randomValues(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        try Self.expectSameJSON(RandomJSON.make(&random, depth: 0))
    }
}

/// A JSON value of random shape, encoded through the container API as Codable types are.
indirect enum RandomJSON: Encodable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([RandomJSON]), object([String: RandomJSON])

    static func make(_ random: inout SplitMix64, depth: Int) -> RandomJSON {
        let pick = Int(random.next() % (depth > 4 ? 5 : 7))
        switch pick {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .int(Int(truncatingIfNeeded: random.next()))
        case 3: return .double(Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF))
        case 4: return .string(String((0..<Int(random.next() % 12)).map { _ in Character(Unicode.Scalar(UInt8(random.next() % 128))) }))
        case 5: return .array((0..<Int(random.next() % 5)).map { _ in make(&random, depth: depth + 1) })
        default:
            var members: [String: RandomJSON] = [:]
            for index in 0..<Int(random.next() % 5) { members["k\(index)"] = make(&random, depth: depth + 1) }
            return .object(members)
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values {
                if case .array(let inner) = value {
                    var nested = container.nestedUnkeyedContainer()
                    for element in inner { try nested.encode(element) }
                } else {
                    try container.encode(value)
                }
            }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if case .object(let inner) = value {
                    var nested = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: key))
                    for (innerKey, element) in inner { try nested.encode(element, forKey: Key(stringValue: innerKey)) }
                } else {
                    try container.encode(value, forKey: Key(stringValue: key))
                }
            }
        }
    }
}
