import HTTPTypes
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// aiohttp's access log format language, compiled once.
///
/// `%a` remote address, `%t` time of the request, `%r` request line, `%s` status, `%b` bytes
/// sent (head and body, as aiohttp counts them), `%{Name}i` a request field, `%{Name}o` a response field, `%T` seconds taken,
/// `%Tf` seconds with fractions, `%D` microseconds, `%P` process id, `%%` a percent sign.
///
/// ```swift
/// configuration.accessLog = AccessLogFormat.aiohttpDefault
/// ```
public struct AccessLogFormat: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(String)
        case remoteAddress
        case time
        case requestLine
        case status
        case bodySize
        case requestField(HTTPField.Name)
        case responseField(HTTPField.Name)
        case seconds
        case secondsFraction
        case microseconds
        case processID
    }

    let tokens: [Token]

    /// aiohttp's default: `%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i"`.
    public static let aiohttpDefault = AccessLogFormat(#"%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i""#)!

    /// aiohttp's default with the time taken: `… %Tf`.
    public static let withTiming = AccessLogFormat(#"%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i" %Tf"#)!

    /// Compiles `format`; nil when it holds an unknown directive or an invalid field name.
    public init?(_ format: String) {
        var tokens: [Token] = []
        var literal = ""
        var index = format.startIndex
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = ""
        }
        while index < format.endIndex {
            let character = format[index]
            index = format.index(after: index)
            guard character == "%" else {
                literal.append(character)
                continue
            }
            guard index < format.endIndex else { return nil }
            let directive = format[index]
            index = format.index(after: index)
            switch directive {
            case "%": literal.append("%")
            case "a": flush(); tokens.append(.remoteAddress)
            case "t": flush(); tokens.append(.time)
            case "r": flush(); tokens.append(.requestLine)
            case "s": flush(); tokens.append(.status)
            case "b": flush(); tokens.append(.bodySize)
            case "D": flush(); tokens.append(.microseconds)
            case "P": flush(); tokens.append(.processID)
            case "T":
                flush()
                if index < format.endIndex, format[index] == "f" {
                    index = format.index(after: index)
                    tokens.append(.secondsFraction)
                } else {
                    tokens.append(.seconds)
                }
            case "{":
                guard let close = format[index...].firstIndex(of: "}") else { return nil }
                guard let name = HTTPField.Name(String(format[index..<close])) else { return nil }
                index = format.index(after: close)
                guard index < format.endIndex else { return nil }
                let kind = format[index]
                index = format.index(after: index)
                flush()
                switch kind {
                case "i": tokens.append(.requestField(name))
                case "o": tokens.append(.responseField(name))
                default: return nil
                }
            default:
                return nil
            }
        }
        flush()
        self.tokens = tokens
    }

    /// What one log line is made of.
    struct Entry {
        var remoteAddress: SocketAddress?
        var started: (wall: Int, monotonic: NIODeadline)
        var request: HTTPRequestHeadSummary
        var status: Int
        var bodySize: Int
        var responseFields: HTTPFields
    }

    /// The parts of a request a log line uses.
    struct HTTPRequestHeadSummary {
        var line: String
        var fields: HTTPFields
    }

    /// The log line for `entry`.
    func render(_ entry: Entry, now: NIODeadline) -> String {
        var line = ""
        let elapsed = now - entry.started.monotonic
        for token in self.tokens {
            switch token {
            case .literal(let text): line += text
            case .remoteAddress: line += entry.remoteAddress?.ipAddress ?? "-"
            case .time: line += Self.formatTime(entry.started.wall)
            case .requestLine: line += entry.request.line
            case .status: line += String(entry.status)
            case .bodySize: line += String(entry.bodySize)
            case .requestField(let name): line += entry.request.fields[name] ?? "-"
            case .responseField(let name): line += entry.responseFields[name] ?? "-"
            case .seconds: line += String(elapsed.nanoseconds / 1_000_000_000)
            case .secondsFraction: line += String(format6(Double(elapsed.nanoseconds) / 1e9))
            case .microseconds: line += String(elapsed.nanoseconds / 1000)
            case .processID: line += String(getpid())
            }
        }
        return line
    }

    /// `[25/Nov/2026:23:20:06 +0000]`, the Common Log Format time aiohttp writes.
    static func formatTime(_ seconds: Int) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "[\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(1900 + parts.tm_year):"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000]"
    }
}

/// `value` with six decimals, as Python's `%f`.
private func format6(_ value: Double) -> String {
    let micros = Int((value * 1_000_000).rounded())
    let fraction = String(micros % 1_000_000)
    return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
}
