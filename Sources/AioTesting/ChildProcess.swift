import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// A program spawned for a test with `posix_spawn`, and its exit, awaited by a thread blocked in
/// `waitpid` for that one pid.
///
/// The child starts with an empty signal mask and default dispositions, not the test runner's
/// (which blocks `SIGTERM` and ignores `SIGPIPE`), so peers stop when told to. Its exit is
/// waited for directly rather than through `Foundation.Process`'s run-loop notifications.
final class ChildProcess: Sendable {
    /// Where a standard stream of the child goes.
    enum Stream {
        /// `/dev/null`.
        case null
        /// A file, created or truncated.
        case file(String)
        /// A descriptor of the parent's, duplicated into the child.
        case descriptor(Int32)
    }

    /// How a child ended.
    struct Exit: Sendable {
        /// Whether it exited (rather than being killed by a signal).
        var exited: Bool
        /// Its exit status, or the number of the signal that killed it.
        var status: Int32
    }

    private struct State {
        var exit: Exit?
        var waiters: [CheckedContinuation<Exit, Never>] = []
    }

    let pid: pid_t
    private let state = NIOLockedValueBox(State())

    /// Starts `arguments[0]`, looked up in the `PATH` of `environment` (the runner's, with
    /// `environment` laid over it).
    /// Standard input is `/dev/null`; no other descriptor of the runner's is inherited (a
    /// listening socket a child kept open would accept connections for a test server that had
    /// closed it).
    init(_ arguments: [String], directory: String? = nil, environment: [String: String]?, stdout: Stream, stderr: Stream) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory { _ = GlibcSpawn.addChdir(&actions, directory) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (target, stream) in [(Int32(1), stdout), (2, stderr)] {
            switch stream {
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            }
        }
        _ = GlibcSpawn.addCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let merged = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(arguments.first ?? ""): \(String(cString: strerror(result)))"])
        }
        self.pid = pid
        Thread.detachNewThread { [state, pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            let exit = (status & 0x7F) == 0 ? Exit(exited: true, status: (status >> 8) & 0xFF) : Exit(exited: false, status: status & 0x7F)
            let waiters = state.withLockedValue { state in
                state.exit = exit
                defer { state.waiters = [] }
                return state.waiters
            }
            waiters.forEach { $0.resume(returning: exit) }
        }
    }

    /// How the child ended, once it has.
    var exit: Exit? { self.state.withLockedValue { $0.exit } }

    /// Waits for the child to end.
    func waitForExit() async -> Exit {
        await withCheckedContinuation { continuation in
            let exit = self.state.withLockedValue { state -> Exit? in
                if state.exit == nil { state.waiters.append(continuation) }
                return state.exit
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }

    /// Sends `signal` while the child has not been waited for (its pid cannot have been reused).
    func send(_ signal: Int32) {
        self.state.withLockedValue { state in
            if state.exit == nil { kill(self.pid, signal) }
        }
    }
}

/// glibc's spawn actions that Swift's Glibc module does not import (they are GNU extensions,
/// in glibc since 2.29 and 2.34), looked up by name.
private enum GlibcSpawn {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir = Self.function("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom = Self.function("posix_spawn_file_actions_addclosefrom_np")

    private static func function<Function>(_ name: String) -> Function {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("\(name) is missing: the tests need glibc 2.34 or later")
        }
        return unsafeBitCast(symbol, to: Function.self)
    }
}

/// A one-way channel (a socket pair) whose ends the parent keeps from every child but the one
/// it hands an end to: both are close-on-exec from the start.
struct ChildPipe {
    let read: Int32
    let write: Int32

    init() throws {
        var descriptors: [Int32] = [0, 0]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &descriptors) == 0 else { throw CocoaError(.fileWriteUnknown) }
        (self.read, self.write) = (descriptors[0], descriptors[1])
    }
}
