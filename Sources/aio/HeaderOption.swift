import ArgumentParser
import Foundation
import HTTPTypes

/// `Name: value` from the command line (`--header`, and `aio get`'s `Header:value` items): one
/// reading for every command.
enum HeaderOption {
    /// The field `text` names, name and value trimmed.
    ///
    /// - Throws: `ValidationError` without a colon or with a name that is not a token.
    static func field(_ text: String) throws -> HTTPField {
        guard let colon = text.firstIndex(of: ":"),
            let name = HTTPField.Name(text[..<colon].trimmingCharacters(in: .whitespaces))
        else { throw ValidationError("'\(text)' is not a header field ('Name: value')") }
        return HTTPField(name: name, value: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// The fields of every `--header` given.
    static func fields(_ texts: [String]) throws -> HTTPFields {
        HTTPFields(try texts.map(Self.field))
    }
}
