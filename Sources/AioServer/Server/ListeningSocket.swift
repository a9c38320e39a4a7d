#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// A listening socket made before the server runs: handed over by systemd's socket activation
/// or by the process this one replaces, or bound here to be handed on. A server on it
/// (``BindAddress/socket(_:)``) can be restarted without the socket ever closing: connections
/// that arrive meanwhile wait in its queue for the next process, and none is refused.
public struct ListeningSocket: Sendable, Hashable {
    /// The file descriptor.
    public let descriptor: Int32
    /// Its name, from `LISTEN_FDNAMES` (systemd's `FileDescriptorName=`), if any.
    public let name: String?

    /// The listening socket `descriptor`, named `name`.
    public init(descriptor: Int32, name: String? = nil) {
        self.descriptor = descriptor
        self.name = name
    }

    /// Binds `address` and listens, with `SO_REUSEADDR`, and `SO_REUSEPORT` when `reusePort`
    /// (several processes then each accept on a socket of their own; a closing one loses the
    /// connections still in its queue unless `net.ipv4.tcp_migrate_req` is 1, which is why
    /// restarts hand the socket over instead).
    public static func bind(_ address: BindAddress, backlog: Int = 256, reusePort: Bool = false) throws -> ListeningSocket {
        let socketAddress: SocketAddress
        switch address.value {
        case .hostname(let host, let port):
            socketAddress = try SocketAddress.makeAddressResolvingHost(host, port: port)
        case .unixDomainSocket(let path):
            socketAddress = try SocketAddress(unixDomainSocketPath: path)
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK { unlink(path) }
        case .socket(let socket):
            return socket
        }
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        let descriptor = socket(Int32(socketAddress.protocol.rawValue), type, 0)
        guard descriptor >= 0 else { throw ListeningSocketError(operation: "socket", address: address, code: errno) }
        do {
            if case .hostname = address.value {
                try Self.enable(SO_REUSEADDR, on: descriptor, address: address)
                if reusePort { try Self.enable(SO_REUSEPORT, on: descriptor, address: address) }
            }
            #if canImport(Glibc)
            let bound = socketAddress.withSockAddr { Glibc.bind(descriptor, $0, socklen_t($1)) }
            #else
            let bound = socketAddress.withSockAddr { Darwin.bind(descriptor, $0, socklen_t($1)) }
            #endif
            guard bound == 0 else { throw ListeningSocketError(operation: "bind", address: address, code: errno) }
            guard listen(descriptor, Int32(clamping: backlog)) == 0 else {
                throw ListeningSocketError(operation: "listen", address: address, code: errno)
            }
        } catch {
            close(descriptor)
            throw error
        }
        return ListeningSocket(descriptor: descriptor)
    }

    /// Sets the length of the queue of connections waiting to be accepted, by listening again.
    /// SwiftNIO listens again with its own default (128) when it takes a bound socket over, so
    /// the server calls this afterwards.
    func setBacklog(_ backlog: Int) throws {
        guard listen(self.descriptor, Int32(clamping: backlog)) == 0 else {
            throw ListeningSocketError(operation: "listen", address: .socket(self), code: errno)
        }
    }

    private static func enable(_ option: Int32, on descriptor: Int32, address: BindAddress) throws {
        var one: Int32 = 1
        guard setsockopt(descriptor, SOL_SOCKET, option, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw ListeningSocketError(operation: "setsockopt", address: address, code: errno)
        }
    }

    /// The sockets systemd's socket activation passed to this process (`LISTEN_FDS` from 3,
    /// meant for this process when `LISTEN_PID` is its id, named by `LISTEN_FDNAMES`): empty
    /// when there are none. The variables are removed, so that programs this one starts do not
    /// take the sockets for theirs, and the descriptors are closed on `exec`.
    public static func activated() -> [ListeningSocket] {
        defer {
            for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        }
        guard let pid = Self.environment("LISTEN_PID").flatMap(Int32.init), pid == getpid(),
            let count = Self.environment("LISTEN_FDS").flatMap(Int.init), count > 0, count < 1024
        else { return [] }
        let names = Self.environment("LISTEN_FDNAMES")?.split(separator: ":", omittingEmptySubsequences: false).map(String.init) ?? []
        return (0..<count).map { index in
            let descriptor = Int32(3 + index)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            return ListeningSocket(descriptor: descriptor, name: names.indices.contains(index) ? names[index] : nil)
        }
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// A listening socket could not be made.
public struct ListeningSocketError: Error, Hashable, CustomStringConvertible {
    /// The call that failed: `socket`, `setsockopt`, `bind` or `listen`.
    public let operation: String
    /// What was to be listened on.
    public let address: BindAddress
    /// The `errno` value.
    public let code: Int32

    public var description: String {
        "Cannot listen on \(self.address): \(self.operation) failed: \(String(cString: strerror(self.code)))"
    }
}
