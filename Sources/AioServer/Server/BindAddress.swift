/// Where a server listens: a host and port (IPv4 or IPv6), a Unix domain socket, or a socket
/// already listening.
public struct BindAddress: Sendable, Hashable, CustomStringConvertible {
    enum Value: Sendable, Hashable {
        case hostname(String, port: Int)
        case unixDomainSocket(path: String)
        case socket(ListeningSocket)
    }

    let value: Value

    /// A host name or address (`"127.0.0.1"`, `"::1"`, `"0.0.0.0"`) and a port; port 0 picks a
    /// free one, which ``HTTPServer/localAddress()`` then reports.
    public static func hostname(_ host: String = "127.0.0.1", port: Int = 8080) -> BindAddress {
        BindAddress(value: .hostname(host, port: port))
    }

    /// A Unix domain socket at `path`; an existing socket file there is replaced.
    public static func unixDomainSocket(path: String) -> BindAddress {
        BindAddress(value: .unixDomainSocket(path: path))
    }

    /// A socket already listening: handed over by systemd or by the process this one replaces
    /// (see ``ListeningSocket``).
    public static func socket(_ socket: ListeningSocket) -> BindAddress {
        BindAddress(value: .socket(socket))
    }

    public var description: String {
        switch self.value {
        case .hostname(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixDomainSocket(let path): return "unix:\(path)"
        case .socket(let socket): return "fd:\(socket.descriptor)"
        }
    }
}
