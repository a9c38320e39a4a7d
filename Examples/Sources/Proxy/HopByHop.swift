import AioHTTP
import Foundation

/// Header fields that describe one connection, not the message (RFC 9110, 7.6.1): a proxy
/// drops them, and the fields the `Connection` field names, in both directions.
enum HopByHop {
    static let names: [HTTPField.Name] = [
        .connection, .te, .trailer, .transferEncoding, .upgrade, .proxyAuthorization, .proxyAuthenticate,
        HTTPField.Name("Keep-Alive")!, HTTPField.Name("Proxy-Connection")!,
    ]

    /// `fields` without the hop-by-hop ones.
    static func removing(from fields: HTTPFields) -> HTTPFields {
        var fields = fields
        let named = fields[values: .connection]
            .flatMap { $0.split(separator: ",") }
            .compactMap { HTTPField.Name($0.trimmingCharacters(in: .whitespaces)) }
        for name in Self.names + named { fields[name] = nil }
        return fields
    }
}
