import NIOCore

extension TimeAmount {
    /// `seconds` as a time amount, clamped to a century: a timeout of `.infinity` or 1e300 s
    /// means "never", not a trap converting it.
    static func seconds(clamping seconds: Double) -> TimeAmount {
        let century = 100 * 365 * 86_400.0
        return .nanoseconds(Int64(max(0, min(seconds.isNaN ? century : seconds, century)) * 1e9))
    }
}
