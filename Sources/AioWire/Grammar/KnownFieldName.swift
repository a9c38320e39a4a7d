import HTTPTypes

/// What a header field means to the parser itself.
enum FieldRole: UInt8, Sendable {
    case other
    case contentLength
    case transferEncoding
    case connection
    case host
    case upgrade
    case expect
}

/// Common field names, so that parsing a name usually costs no allocation and the framing fields
/// are recognised without comparing strings.
///
/// A name is reused only when the received bytes equal its canonical spelling or its lower-case
/// spelling, so ``HTTPField/Name/rawName`` always holds what was received.
struct KnownFieldName: Sendable {
    let spelling: StaticString
    let canonical: HTTPField.Name
    let lowercase: HTTPField.Name
    let role: FieldRole

    private init(_ spelling: StaticString, _ role: FieldRole = .other) {
        self.spelling = spelling
        let raw = spelling.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        self.canonical = HTTPField.Name(raw)!
        self.lowercase = HTTPField.Name(raw.lowercased())!
        self.role = role
    }

    /// The result of looking up received name bytes.
    struct Match {
        /// A ready name when the bytes match one of the two stored spellings exactly.
        var name: HTTPField.Name?
        var role: FieldRole
    }

    /// Looks up `bytes`, a valid token.
    @inline(__always)
    static func match(_ bytes: UnsafeRawBufferPointer) -> Match? {
        let count = bytes.count
        guard count < byLength.count else { return nil }
        for entry in byLength[count] {
            let spelling = entry.spelling.utf8Start
            var exact = true
            var lower = true
            var index = 0
            while index < count {
                let byte = bytes[index]
                let expected = spelling[index]
                if byte != expected {
                    exact = false
                    if HTTPByte.lowercased(byte) != HTTPByte.lowercased(expected) { break }
                }
                if byte &- 0x41 < 26 { lower = false }
                index += 1
            }
            guard index == count else { continue }
            if exact { return Match(name: entry.canonical, role: entry.role) }
            if lower { return Match(name: entry.lowercase, role: entry.role) }
            return Match(name: nil, role: entry.role)
        }
        return nil
    }

    private static let all: [KnownFieldName] = [
        .init("Host", .host),
        .init("Content-Length", .contentLength),
        .init("Transfer-Encoding", .transferEncoding),
        .init("Connection", .connection),
        .init("Upgrade", .upgrade),
        .init("Expect", .expect),
        .init("Accept"), .init("Accept-Charset"), .init("Accept-Encoding"), .init("Accept-Language"),
        .init("Accept-Ranges"), .init("Access-Control-Allow-Origin"), .init("Age"), .init("Allow"),
        .init("Authorization"), .init("Cache-Control"), .init("Content-Disposition"),
        .init("Content-Encoding"), .init("Content-Language"), .init("Content-Location"),
        .init("Content-Range"), .init("Content-Type"), .init("Cookie"), .init("Date"), .init("DNT"),
        .init("ETag"), .init("Expires"), .init("Forwarded"), .init("If-Match"),
        .init("If-Modified-Since"), .init("If-None-Match"), .init("If-Range"),
        .init("If-Unmodified-Since"), .init("Keep-Alive"), .init("Last-Modified"), .init("Link"),
        .init("Location"), .init("Origin"), .init("Pragma"), .init("Priority"),
        .init("Proxy-Authorization"), .init("Proxy-Connection"), .init("Range"), .init("Referer"),
        .init("Retry-After"), .init("Sec-Ch-Ua"), .init("Sec-Ch-Ua-Mobile"),
        .init("Sec-Ch-Ua-Platform"), .init("Sec-Fetch-Dest"), .init("Sec-Fetch-Mode"),
        .init("Sec-Fetch-Site"), .init("Sec-Fetch-User"), .init("Sec-WebSocket-Accept"),
        .init("Sec-WebSocket-Extensions"), .init("Sec-WebSocket-Key"), .init("Sec-WebSocket-Protocol"),
        .init("Sec-WebSocket-Version"), .init("Server"), .init("Set-Cookie"),
        .init("Strict-Transport-Security"), .init("TE"), .init("Trailer"),
        .init("Upgrade-Insecure-Requests"), .init("User-Agent"), .init("Vary"), .init("Via"),
        .init("WWW-Authenticate"), .init("X-Content-Type-Options"), .init("X-Forwarded-For"),
        .init("X-Forwarded-Host"), .init("X-Forwarded-Proto"), .init("X-Real-IP"),
        .init("X-Request-ID"), .init("X-Requested-With"),
    ]

    private static let byLength: [[KnownFieldName]] = {
        var table = [[KnownFieldName]](repeating: [], count: 32)
        for entry in all {
            table[entry.spelling.utf8CodeUnitCount].append(entry)
        }
        return table
    }()
}
