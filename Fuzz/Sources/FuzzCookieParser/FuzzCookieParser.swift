import AioClient
import Foundation

/// Feeds the input to a jar as a `Set-Cookie` value from a name and from an address, and checks
/// what the jar kept: names and values free of `;` and of control characters (but tabs), a
/// domain the host matches, a path from the root, a `Cookie` field that cannot break its line,
/// and a cookie that survives the jar's file format.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCookieParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let header = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for (url, host) in [("http://www.example.com/a/b", "www.example.com"), ("https://127.0.0.1:8443/", "127.0.0.1")] {
        let jar = CookieJar(unsafe: true)
        jar.update(setCookie: [header], from: url)
        for cookie in jar.all {
            for text in [cookie.name, cookie.value] {
                precondition(!text.utf8.contains { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F || $0 == UInt8(ascii: ";") }, "kept \(cookie)")
            }
            precondition(!cookie.name.isEmpty && !cookie.name.contains("="), "kept the name \(cookie.name)")
            precondition(host == cookie.domain || (!cookie.hostOnly && host.hasSuffix("." + cookie.domain)), "\(host) does not match \(cookie.domain)")
            precondition(cookie.path.hasPrefix("/"), "kept the path \(cookie.path)")
            let encoded = try! JSONEncoder().encode(cookie)
            precondition(try! JSONDecoder().decode(ClientCookie.self, from: encoded) == cookie, "the file format changed \(cookie)")
        }
        if let field = jar.cookieHeader(for: url) {
            precondition(!field.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "a Cookie field that breaks its line")
        }
    }
    return 0
}
