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
    /// Sends `state` (`"READY=1"`, `"STOPPING=1"`, …) to whoever started this process: the
    /// service manager, or the predecessor it replaces. Returns whether anyone was told (false
    /// when `NOTIFY_SOCKET` is not set or the datagram could not be sent).
    @discardableResult
    public static func send(_ state: String) -> Bool {
        Self.variable("NOTIFY_SOCKET").map { Self.send(state, to: $0) } ?? false
    }

    /// Sends `state` to the service manager (systemd), also from a process a ``Successor``
    /// started, whose `NOTIFY_SOCKET` is its predecessor's: `MAINPID=` there keeps a
    /// `Type=notify` service alive across any number of restarts. False when there is none.
    @discardableResult
    public static func sendToManager(_ state: String) -> Bool {
        Self.managerSocket.map { Self.send(state, to: $0) } ?? false
    }

    /// The variable a ``Successor`` finds the service manager's socket in (empty: none).
    static let managerVariable = "AIO_MANAGER_NOTIFY_SOCKET"

    /// The service manager's socket, as this process was told it.
    static var managerSocket: String? {
        if getenv(Self.managerVariable) != nil { return Self.variable(Self.managerVariable) }
        return Self.variable("NOTIFY_SOCKET")
    }

    /// The environment variable `name`, nil when unset or empty.
    private static func variable(_ name: String) -> String? {
        guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { return nil }
        return value
    }

    private static func send(_ state: String, to name: String) -> Bool {
        guard var address = UnixAddress(name) else { return false }
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
