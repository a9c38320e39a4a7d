#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` field value (RFC 9110 §5.6.7 IMF-fixdate), formatted once per second.
struct DateCache {
    private var second = 0
    private var text = ""

    /// The current date, like `Tue, 15 Nov 1994 08:12:31 GMT`.
    mutating func current() -> String {
        let now = time(nil)
        if now != self.second {
            self.second = now
            self.text = HTTPDate.format(now)
        }
        return self.text
    }
}
