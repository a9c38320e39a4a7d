/// What makes connections interchangeable: a request may reuse any idle connection with the
/// same key: scheme, host and port, and the proxy in between (with its credentials).
struct PoolKey: Hashable, Sendable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int
    let proxy: ClientProxy?

    init(_ url: ClientURL, proxy: ClientProxy? = nil) {
        self.scheme = url.scheme
        self.host = url.host
        self.port = url.port
        self.proxy = proxy
    }

    var isSecure: Bool { self.scheme == "https" }
    /// Whether the host is an address rather than a name.
    var isIPAddress: Bool { ClientURL.isAddress(self.host) }
    var description: String { "\(self.scheme)://\(self.host):\(self.port)" + (self.proxy.map { " via \($0.url.authority)" } ?? "") }
}
