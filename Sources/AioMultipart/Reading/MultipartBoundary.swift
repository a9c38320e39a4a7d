/// The rules for multipart boundaries (RFC 2046 §5.1.1).
enum MultipartBoundary {
    /// `boundary` when it is 1 to 70 `bchars` not ending in a space.
    ///
    /// - Throws: ``MultipartError`` otherwise.
    static func check(_ boundary: String) throws -> String {
        let valid =
            (1...70).contains(boundary.utf8.count) && boundary.last != " "
            && boundary.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    true
                default:
                    Self.otherBoundaryChars.contains(byte)
                }
            }
        guard valid else { throw MultipartError("Invalid multipart boundary") }
        return boundary
    }

    private static let otherBoundaryChars = Set("'()+_,-./:=? ".utf8)
}
