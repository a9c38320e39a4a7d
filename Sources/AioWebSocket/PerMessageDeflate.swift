/// The parameters of the permessage-deflate extension (RFC 7692) agreed in a handshake, and the
/// negotiation itself: the server's choice among a client's offers, the client's offer and its
/// check of the answer.
public struct PerMessageDeflate: Sendable, Hashable {
    /// The server resets its compression context after each message.
    public var serverNoContextTakeover = false
    /// The client resets its compression context after each message.
    public var clientNoContextTakeover = false
    /// The largest LZ77 window the server compresses with, as a power of two (9–15 here: zlib
    /// cannot write with a 256-byte window).
    public var serverMaxWindowBits = 15
    /// The largest window the client compresses with.
    public var clientMaxWindowBits = 15

    /// The default parameters: contexts kept, 32 KiB windows.
    public init() {}

    /// The server's choice: the first offer in `offers` (the `Sec-WebSocket-Extensions` field
    /// values) whose parameters are valid and can be honoured, and the value that answers it;
    /// nil when no offer can be taken, and the connection goes on without compression.
    public static func accept(offers: [String]) -> (parameters: PerMessageDeflate, response: String)? {
        for offer in Self.extensions(in: offers) where offer.name == "permessage-deflate" {
            guard let parameters = Self.parameters(offer.parameters, side: .server) else { continue }
            var response = ["permessage-deflate"]
            if parameters.serverNoContextTakeover { response.append("server_no_context_takeover") }
            if parameters.clientNoContextTakeover { response.append("client_no_context_takeover") }
            if offer.parameters.contains(where: { $0.name == "server_max_window_bits" }) {
                response.append("server_max_window_bits=\(parameters.serverMaxWindowBits)")
            }
            if let value = offer.parameters.first(where: { $0.name == "client_max_window_bits" })?.value, !value.isEmpty {
                response.append("client_max_window_bits=\(parameters.clientMaxWindowBits)")
            }
            return (parameters, response.joined(separator: "; "))
        }
        return nil
    }

    /// A client's offer of these parameters, for `Sec-WebSocket-Extensions`.
    public var offer: String {
        var offer = ["permessage-deflate", "client_max_window_bits"]
        if self.serverNoContextTakeover { offer.append("server_no_context_takeover") }
        if self.clientNoContextTakeover { offer.append("client_no_context_takeover") }
        if self.serverMaxWindowBits < 15 { offer.append("server_max_window_bits=\(self.serverMaxWindowBits)") }
        return offer.joined(separator: "; ")
    }

    /// The parameters a server's answer (`Sec-WebSocket-Extensions` values) settles on, nil
    /// when it declined the extension.
    ///
    /// - Throws: ``WebSocketError`` for an answer a client must refuse (RFC 7692 §5): another
    ///   extension, several, or invalid parameters.
    public static func accepted(response: [String]) throws -> PerMessageDeflate? {
        let extensions = Self.extensions(in: response)
        guard let answer = extensions.first else { return nil }
        guard extensions.count == 1, answer.name == "permessage-deflate",
            let parameters = Self.parameters(answer.parameters, side: .client)
        else {
            throw WebSocketError(.mandatoryExtension, "Unexpected Sec-WebSocket-Extensions in the answer")
        }
        return parameters
    }

    private enum Side {
        case server
        case client
    }

    /// The parameters of one offer (server side) or answer (client side); nil when invalid.
    private static func parameters(_ list: [(name: String, value: String?)], side: Side) -> PerMessageDeflate? {
        var result = PerMessageDeflate()
        var seen = Set<String>()
        for (name, value) in list {
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "server_no_context_takeover":
                guard value == nil else { return nil }
                result.serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard value == nil else { return nil }
                result.clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let bits = value.flatMap(Self.windowBits) else { return nil }
                // zlib cannot compress with a 256-byte window; a client inflates any.
                if side == .server, bits < 9 { return nil }
                result.serverMaxWindowBits = bits
            case "client_max_window_bits":
                if let value {
                    guard let bits = Self.windowBits(value) else { return nil }
                    if side == .client, bits < 9 { return nil }
                    result.clientMaxWindowBits = bits
                } else if side == .client {
                    return nil
                }
            default:
                return nil
            }
        }
        return result
    }

    private static func windowBits(_ text: String) -> Int? {
        guard text.utf8.count <= 2, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text.first != "0",
            let bits = Int(text), (8...15).contains(bits)
        else { return nil }
        return bits
    }

    /// The extensions listed in header values: names with their parameters, lower-cased, quotes
    /// removed from values.
    private static func extensions(in values: [String]) -> [(name: String, parameters: [(name: String, value: String?)])] {
        values.flatMap { $0.split(separator: ",") }.map { item in
            let pieces = item.split(separator: ";").map { $0.trimmingWhitespace }
            let parameters = pieces.dropFirst().map { piece -> (name: String, value: String?) in
                guard let equals = piece.firstIndex(of: "=") else { return (piece.lowercased(), nil) }
                var value = Substring(piece[piece.index(after: equals)...]).trimmingWhitespace
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                return (String(piece[..<equals]).trimmingWhitespace.lowercased(), value)
            }
            return ((pieces.first ?? "").lowercased(), parameters)
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
