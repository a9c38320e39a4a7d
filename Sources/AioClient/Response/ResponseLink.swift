import HTTPTypes

/// One link of a response's `Link` fields (RFC 8288), as aiohttp's `ClientResponse.links`
/// entries: the target resolved against the response's URL, and the link's parameters.
public struct ResponseLink: Sendable, Hashable {
    /// The target, absolute (resolved against the response's URL); as written when it cannot be
    /// resolved.
    public let url: String
    /// The parameters by lowercased name (`rel`, `title`, `type`, `anchor`…); for a name given
    /// twice, the first (RFC 8288 §3.3 ignores the others for `rel`).
    public let parameters: [String: String]

    /// The relation types (`rel`), as written (`next`, `last`, `preconnect stylesheet`).
    public var rel: String? { self.parameters["rel"] }

    /// The links of `values` (each a `Link` field value), in order; an entry that is not
    /// `<target>` followed by parameters ends the reading of its field.
    static func parse(_ values: [String], base: ClientURL) -> [ResponseLink] {
        var links: [ResponseLink] = []
        for value in values {
            var scanner = FieldValueScanner(value)
            while true {
                scanner.skipSpaces(and: UInt8(ascii: ","))
                guard scanner.consume(UInt8(ascii: "<")), let target = scanner.text(upTo: UInt8(ascii: ">")) else { break }
                var parameters: [String: String] = [:]
                while true {
                    scanner.skipSpaces()
                    guard scanner.consume(UInt8(ascii: ";")) else { break }
                    guard let (name, value) = scanner.parameter() else {
                        // A bare parameter name (`; crossorigin`) has the empty value.
                        scanner.skipSpaces()
                        let name = scanner.token().lowercased()
                        if !name.isEmpty, parameters[name] == nil { parameters[name] = "" }
                        continue
                    }
                    if parameters[name] == nil { parameters[name] = value }
                }
                let url = (try? ClientURL(target, relativeTo: base).string) ?? target
                links.append(ResponseLink(url: url, parameters: parameters))
                scanner.skipSpaces()
                guard scanner.consume(UInt8(ascii: ",")) else { break }
            }
        }
        return links
    }
}

extension HTTPField.Name {
    /// `Link` (RFC 8288 §3).
    static let link = HTTPField.Name("Link")!
}
