/// The cookie date format of RFC 6265 §5.1.1, which reads every date form servers send
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, `Wednesday, 21-Oct-15 07:28:00 GMT`, asctime's) by its
/// tokens, in any order.
enum CookieDate {
    /// Seconds since 1970 for `text`, or nil when it is not a cookie date.
    static func parse(_ text: some StringProtocol) -> Double? {
        var time: (Int, Int, Int)?
        var day: Int?
        var month: Int?
        var year: Int?
        for token in text.utf8.split(whereSeparator: Self.isDelimiter) {
            let bytes = Array(token)
            if time == nil, let found = Self.time(bytes) {
                time = found
            } else if day == nil, let value = Self.digits(bytes, min: 1, max: 2) {
                day = value
            } else if month == nil, let value = Self.month(bytes) {
                month = value
            } else if year == nil, let value = Self.digits(bytes, min: 2, max: 4) {
                year = value
            }
        }
        guard let (hour, minute, second) = time, let day, let month, var year else { return nil }
        if (70...99).contains(year) { year += 1900 } else if (0...69).contains(year) { year += 2000 }
        guard (1...31).contains(day), year >= 1601, hour <= 23, minute <= 59, second <= 59 else { return nil }
        guard day <= Self.daysIn(month: month, year: year) else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    /// `%x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == 0x09 || (0x20...0x2F).contains(byte) || (0x3B...0x40).contains(byte) || (0x5B...0x60).contains(byte)
            || (0x7B...0x7E).contains(byte)
    }

    /// `1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT ( non-digit *OCTET )`.
    private static func time(_ bytes: [UInt8]) -> (Int, Int, Int)? {
        var parts: [Int] = []
        var current: Int?
        var length = 0
        for byte in bytes {
            if (0x30...0x39).contains(byte) {
                guard length < 2 else { return nil }
                current = (current ?? 0) * 10 + Int(byte - 0x30)
                length += 1
            } else if byte == UInt8(ascii: ":"), let value = current, parts.count < 2 {
                parts.append(value)
                current = nil
                length = 0
            } else {
                break
            }
        }
        guard parts.count == 2, let last = current else { return nil }
        return (parts[0], parts[1], last)
    }

    /// `min*maxDIGIT ( non-digit *OCTET )`.
    private static func digits(_ bytes: [UInt8], min: Int, max: Int) -> Int? {
        let digits = bytes.prefix { (0x30...0x39).contains($0) }
        guard (min...max).contains(digits.count) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// A month name's first three letters, any case.
    private static func month(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        let name = String(decoding: bytes.prefix(3), as: UTF8.self).lowercased()
        return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].firstIndex(of: name).map { $0 + 1 }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
