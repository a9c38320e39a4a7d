import AioClient

/// Reads the input as `WWW-Authenticate` values (one per line) and answers the strongest Digest
/// challenge: an answer, when there is one, is one `Digest` field value that cannot break its
/// line, whatever the server put in its realm, nonce or opaque.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDigestChallenge(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let fields = text.split(separator: "\n").map(String.init)
    let auth = DigestAuth(login: "user", password: "pass")
    guard let answer = auth.authorization(answering: fields, method: .get, uri: "/digest?x=1") else { return 0 }
    precondition(answer.hasPrefix("Digest username=\""), answer)
    precondition(!answer.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "an answer that breaks its line")
    return 0
}
