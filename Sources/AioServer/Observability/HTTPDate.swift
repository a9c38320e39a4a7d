#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HTTP dates (RFC 9110 §5.6.7): `Date`, `Last-Modified`, `Expires`, `If-Modified-Since`.
///
/// Formats as IMF-fixdate; parses IMF-fixdate and, as recipients must, the obsolete RFC 850 and
/// asctime forms.
public enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for `seconds` since 1970.
    public static func format(_ seconds: Int) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        func two(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// Seconds since 1970 for an HTTP date in any of the three forms, or nil.
    public static func parse(_ text: String) -> Int? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        var day: Int?
        var month: Int?
        var year: Int?
        var clock: Substring?
        switch words.count {
        case 6 where words[5] == "GMT":  // Sun, 06 Nov 1994 08:49:37 GMT
            (day, month, year, clock) = (Int(words[1]), Self.month(words[2]), Int(words[3]), words[4])
        case 4 where words[3] == "GMT":  // Sunday, 06-Nov-94 08:49:37 GMT
            let date = words[1].split(separator: "-")
            guard date.count == 3, let short = Int(date[2]) else { return nil }
            (day, month, clock) = (Int(date[0]), Self.month(date[1]), words[2])
            year = short < 70 ? 2000 + short : 1900 + short
        case 5:  // Sun Nov  6 08:49:37 1994
            (day, month, year, clock) = (Int(words[2]), Self.month(words[1]), Int(words[4]), words[3])
        default:
            return nil
        }
        guard let day, let month, let year, let clock else { return nil }
        let time = clock.split(separator: ":").compactMap { Int($0) }
        guard time.count == 3, (1...31).contains(day), time[0] < 24, time[1] < 60, time[2] < 61 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(time[0])
        parts.tm_min = Int32(time[1])
        parts.tm_sec = Int32(time[2])
        return Int(timegm(&parts))
    }

    private static func month(_ name: Substring) -> Int? {
        self.months.firstIndex { $0 == name }
    }
}
