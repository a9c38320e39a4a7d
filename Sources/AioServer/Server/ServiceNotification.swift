#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// systemd's service notifications (`sd_notify`): a datagram of `KEY=value` lines to the
/// socket `NOTIFY_SOCKET` names. `READY=1` tells a `Type=notify` unit, or a predecessor handing
/// over its sockets (``Successor``), that the server accepts connections; `MAINPID=` names the
/// process that took over.
public enum ServiceNotification {
    /// Sends `state` (`"READY=1"`, `"STOPPING=1"`, …); returns whether anyone was told (false
    /// when `NOTIFY_SOCKET` is not set or the datagram could not be sent).
    @discardableResult
    public static func send(_ state: String) -> Bool {
        guard let name = getenv("NOTIFY_SOCKET").map({ String(cString: $0) }), !name.isEmpty,
            var address = UnixAddress(name)
        else { return false }
        let descriptor = UnixAddress.datagramSocket()
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let bytes = Array(state.utf8)
        let sent = address.withSockAddr { pointer, length in
            bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, pointer, length) }
        }
        return sent == bytes.count
    }
}

/// A Unix domain socket address: a path, or an abstract name written with a leading `@`.
struct UnixAddress {
    private var storage = sockaddr_un()
    private let length: socklen_t

    /// `name` as `NOTIFY_SOCKET` writes it; nil when too long.
    init?(_ name: String) {
        var bytes = Array(name.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: self.storage.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { return nil }
        self.storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &self.storage.sun_path) { path in
            for (index, byte) in bytes.enumerated() { path[index] = byte }
        }
        // An abstract name is exactly its bytes; a path ends with its NUL.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        self.length = socklen_t(pathOffset + bytes.count + (bytes[0] == 0 ? 0 : 1))
    }

    /// A new Unix datagram socket, closed on `exec`; -1 (and `errno`) when none can be made.
    static func datagramSocket() -> Int32 {
        #if canImport(Glibc)
        socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
    }

    mutating func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        let length = self.length
        return withUnsafePointer(to: &self.storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
