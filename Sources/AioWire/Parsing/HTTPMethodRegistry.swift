#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import HTTPTypes

/// The request methods the parser recognises by default: the IANA HTTP Method Registry
/// (without `PRI`, which only opens HTTP/2) and widely deployed extensions.
///
/// Matching bytes against this table also hands out ``HTTPRequest/Method`` values without
/// allocating.
enum HTTPMethodRegistry {
    private static let names: [StaticString] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY",
        "ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "COPY", "LABEL", "LINK", "LOCK",
        "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE", "MOVE",
        "ORDERPATCH", "PROPFIND", "PROPPATCH", "REBIND", "REPORT", "SEARCH", "UNBIND",
        "UNCHECKOUT", "UNLINK", "UNLOCK", "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL",
        "PURGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "SOURCE",
    ]

    private struct Entry: Sendable {
        let spelling: StaticString
        let method: HTTPRequest.Method
    }

    private static let byLength: [[Entry]] = {
        var table = [[Entry]](repeating: [], count: 20)
        for name in names {
            let method = name.withUTF8Buffer { HTTPRequest.Method(String(decoding: $0, as: UTF8.self))! }
            table[name.utf8CodeUnitCount].append(Entry(spelling: name, method: method))
        }
        return table
    }()

    /// The registered method spelled exactly (methods are case-sensitive) by `bytes`.
    @inline(__always)
    static func method(_ bytes: UnsafeRawBufferPointer) -> HTTPRequest.Method? {
        let count = bytes.count
        guard count < byLength.count, let base = bytes.baseAddress else { return nil }
        for entry in byLength[count] where memcmp(base, entry.spelling.utf8Start, count) == 0 {
            return entry.method
        }
        return nil
    }
}
