/// What makes connections interchangeable: a request may reuse any idle connection with the
/// same key.
struct PoolKey: Hashable, Sendable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int

    init(_ url: ClientURL) {
        self.scheme = url.scheme
        self.host = url.host
        self.port = url.port
    }

    var isSecure: Bool { self.scheme == "https" }
    var description: String { "\(self.scheme)://\(self.host):\(self.port)" }
}
