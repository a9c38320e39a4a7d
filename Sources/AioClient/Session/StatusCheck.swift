/// What a session does with a response's status before handing the response over, as aiohttp's
/// `raise_for_status` (a bool or an async callable): nothing, throw for 4xx and 5xx, or run a
/// check of the caller's own. A boolean literal reads as the first two.
///
/// ```swift
/// let session = try ClientSession(raiseForStatus: .custom { response in
///     if response.status == .tooManyRequests { throw RateLimited() }
/// })
/// ```
public struct StatusCheck: Sendable, ExpressibleByBooleanLiteral {
    let check: (@Sendable (ClientResponse) async throws -> Void)?

    /// Every response is handed over.
    public static let never = StatusCheck(check: nil)
    /// A 4xx or 5xx response throws ``ClientResponseStatusError`` (its connection released).
    public static let always = StatusCheck { try $0.raiseForStatus() }

    /// `check` runs on each final response (not on redirects followed) before it is handed over;
    /// what it throws reaches the caller, and the response is released.
    public static func custom(_ check: @escaping @Sendable (ClientResponse) async throws -> Void) -> StatusCheck {
        StatusCheck(check: check)
    }

    private init(check: (@Sendable (ClientResponse) async throws -> Void)?) {
        self.check = check
    }

    /// `true` is ``always``, `false` ``never``.
    public init(booleanLiteral value: Bool) {
        self = value ? .always : .never
    }

    /// Runs the check on `response`, releasing it when the check throws.
    func run(_ response: ClientResponse) async throws {
        guard let check = self.check else { return }
        do {
            try await check(response)
        } catch {
            await response.release()
            throw error
        }
    }
}
