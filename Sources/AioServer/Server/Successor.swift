#if os(Linux)
import Glibc
import NIOConcurrencyHelpers
import NIOPosix

/// The process that replaces a running server without closing its listening sockets (nginx's
/// and gunicorn's binary upgrade on SIGUSR2): started with the sockets as systemd would pass
/// them (descriptors from 3, `LISTEN_FDS`, `LISTEN_FDNAMES`, `LISTEN_PID`), it accepts on them as
/// soon as it runs; the caller drains and exits once it reports ready
/// (``ServiceNotification`` `READY=1`). Connections arriving in between wait in the sockets'
/// queues, so none is refused.
public enum Successor {
    /// Starts `executable` (a path, or a name looked up in `PATH`) with `arguments`, handing it
    /// `sockets`, and returns its process id once it said `READY=1`. When it `takesOver` (a
    /// restart), it may tell the service manager that it is the service's main process now
    /// (``ServiceNotification/sendToManager(_:)``); a worker under this process does not.
    ///
    /// - Throws: ``SuccessorError`` when it cannot be started, exits, or is not ready within
    ///   `readyTimeout` (it is then sent SIGTERM).
    public static func start(
        executable: String,
        arguments: [String],
        sockets: [ListeningSocket],
        takesOver: Bool = true,
        readyTimeout: Duration = .seconds(30)
    ) async throws -> Int32 {
        let notifyName = "@aio-successor-\(getpid())-\(Self.counter.withLockedValue { $0 += 1; return $0 })"
        let notify = try Self.notificationSocket(notifyName)
        defer { close(notify) }
        let manager = takesOver ? ServiceNotification.managerSocket ?? "" : ""
        let pid = try Self.spawn(executable: executable, arguments: arguments, sockets: sockets, notifyName: notifyName, manager: manager)
        try await NIOThreadPool.singleton.runIfActive {
            try Self.awaitReady(pid: pid, notify: notify, timeout: readyTimeout)
        }
        return pid
    }

    private static let counter = NIOLockedValueBox(0)

    /// A datagram socket bound to the abstract name `name`, for the successor's notifications,
    /// with each sender's credentials (anyone may send to an abstract name).
    private static func notificationSocket(_ name: String) throws -> Int32 {
        let descriptor = UnixAddress.datagramSocket()
        guard descriptor >= 0, var address = UnixAddress(name) else { throw SuccessorError.cannotStart(code: errno) }
        var on: Int32 = 1
        let bound = address.withSockAddr { Glibc.bind(descriptor, $0, $1) }
        guard bound == 0, setsockopt(descriptor, SOL_SOCKET, SO_PASSCRED, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            let code = errno
            close(descriptor)
            throw SuccessorError.cannotStart(code: code)
        }
        return descriptor
    }

    private static func spawn(
        executable: String,
        arguments: [String],
        sockets: [ListeningSocket],
        notifyName: String,
        manager: String
    ) throws -> Int32 {
        // Copies above every descriptor the successor gets, so that each dup2 below changes the
        // number (which is what clears close-on-exec).
        var copies: [Int32] = []
        defer { copies.forEach { close($0) } }
        for socket in sockets {
            let copy = fcntl(socket.descriptor, F_DUPFD_CLOEXEC, 100)
            guard copy >= 0 else { throw SuccessorError.cannotStart(code: errno) }
            copies.append(copy)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, copy) in copies.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, copy, Int32(3 + index))
        }
        // Nothing else of this process's crosses over: NIO accepts connections without
        // close-on-exec, and a connection the successor held open would never end. Before
        // glibc 2.34, each descriptor open now is closed by name.
        let first = Int32(3 + sockets.count)
        if let closeFrom = Self.closeFrom {
            _ = closeFrom(&actions, first)
        } else {
            for descriptor in Self.openDescriptors() where descriptor >= first {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let replaced = ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "NOTIFY_SOCKET", ServiceNotification.managerVariable]
        var environment: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if !replaced.contains(where: { text.hasPrefix($0 + "=") }) { environment.append(text) }
            entry += 1
        }
        environment += [
            "LISTEN_FDS=\(sockets.count)",
            "LISTEN_FDNAMES=\(sockets.map { $0.name ?? "unknown" }.joined(separator: ":"))",
            "NOTIFY_SOCKET=\(notifyName)",
            "\(ServiceNotification.managerVariable)=\(manager)",
        ]
        // LISTEN_PID must be the successor's own id: a shell learns it and execs in place.
        let argv = ["/bin/sh", "-c", "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\"", executable] + arguments
        var pid: pid_t = 0
        let status = Self.withCStrings(argv) { argv in
            Self.withCStrings(environment) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else { throw SuccessorError.cannotStart(code: status) }
        return pid
    }

    /// Waits on the notification socket until the successor (no other process) says `READY=1`,
    /// exits, or time is up.
    private static func awaitReady(pid: Int32, notify: Int32, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Room for one SCM_CREDENTIALS message: a cmsghdr and a ucred, aligned.
        var control = [UInt8](repeating: 0, count: 64)
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { throw SuccessorError.exited(status: status) }
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGTERM)
                throw SuccessorError.notReady(timeout: timeout)
            }
            var poll = pollfd(fd: notify, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, 50) > 0 else { continue }
            var sender: pid_t = 0
            let count = buffer.withUnsafeMutableBytes { bytes in
                control.withUnsafeMutableBytes { control in
                    var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                    return withUnsafeMutablePointer(to: &vector) { vector in
                        var message = msghdr()
                        message.msg_iov = vector
                        message.msg_iovlen = 1
                        message.msg_control = control.baseAddress
                        message.msg_controllen = control.count
                        let count = recvmsg(notify, &message, 0)
                        sender = Self.senderPid(message)
                        return count
                    }
                }
            }
            guard count > 0, sender == pid else { continue }
            let lines = String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n")
            if lines.contains("READY=1") { return }
        }
    }

    /// The process id in a received message's `SCM_CREDENTIALS`; 0 when it has none.
    private static func senderPid(_ message: msghdr) -> pid_t {
        // Linux's SCM_CREDENTIALS, and its `struct ucred { pid_t pid; uid_t uid; gid_t gid; }`,
        // which Glibc's module leaves out (they need _GNU_SOURCE).
        let credentials: Int32 = 2
        let credentialsSize = 3 * MemoryLayout<Int32>.size
        // The data follows the header, aligned to size_t (as CMSG_DATA has it).
        let offset = (MemoryLayout<cmsghdr>.size + MemoryLayout<Int>.size - 1) & ~(MemoryLayout<Int>.size - 1)
        guard let control = message.msg_control, message.msg_controllen >= offset + credentialsSize else { return 0 }
        let header = control.load(as: cmsghdr.self)
        guard header.cmsg_level == SOL_SOCKET, header.cmsg_type == credentials else { return 0 }
        return control.loadUnaligned(fromByteOffset: offset, as: pid_t.self)
    }

    /// The descriptors open in this process (from `/proc/self/fd`).
    private static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name) { descriptors.append(descriptor) }
        }
        return descriptors
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run
    /// time: the headers Swift imports do not declare it.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    private static func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
        var pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        pointers.append(nil)
        return body(pointers)
    }
}

/// A successor could not take over.
public enum SuccessorError: Error, Hashable, CustomStringConvertible {
    /// It could not be started (`errno`).
    case cannotStart(code: Int32)
    /// It exited before it was ready (its wait status).
    case exited(status: Int32)
    /// It did not say it was ready in time.
    case notReady(timeout: Duration)

    public var description: String {
        switch self {
        case .cannotStart(let code): "The new process could not be started: \(String(cString: strerror(code)))"
        case .exited(let status): "The new process exited before it was ready (wait status \(status))"
        case .notReady(let timeout): "The new process was not ready within \(timeout)"
        }
    }
}
#endif
