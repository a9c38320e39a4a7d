import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion without blocking a thread of the concurrency pool: for interop
/// tests that drive real peers (curl, Python clients, openssl).
public enum ExternalProcess {
    /// What a finished program left.
    public struct Result: Sendable {
        /// Its exit status.
        public var status: Int32
        /// Its standard output.
        public var output: String
        /// Its standard error.
        public var error: String
    }

    /// Runs `arguments[0]` (looked up in `PATH`) with the rest as its arguments, in
    /// `directory` when given.
    public static func run(_ arguments: [String], directory: URL? = nil, environment: [String: String]? = nil) async throws -> Result {
        let files = FileManager.default
        let scratch = files.temporaryDirectory.appendingPathComponent("aio-process-\(UUID().uuidString)")
        try files.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: scratch) }
        let stdout = scratch.appendingPathComponent("stdout")
        let stderr = scratch.appendingPathComponent("stderr")
        let child = try ChildProcess(
            arguments,
            directory: directory?.path,
            environment: environment,
            stdout: .file(stdout.path),
            stderr: .file(stderr.path)
        )
        let exit = await child.waitForExit()
        return Result(
            status: exit.status,
            output: try String(contentsOf: stdout, encoding: .utf8),
            error: try String(contentsOf: stderr, encoding: .utf8)
        )
    }
}

/// A program started by a test and left running: its output (standard output and error) read
/// line by line, its pid for signals and `/proc`, its exit awaited.
public final class RunningProcess: Sendable {
    private let child: ChildProcess
    private let lines: LineQueue

    /// The process id.
    public var pid: Int32 { self.child.pid }

    /// How the process ended: "exit" or "uncaught signal"; "running" before.
    public var terminationReason: String {
        guard let exit = self.child.exit else { return "running" }
        return exit.exited ? "exit" : "uncaught signal"
    }

    /// Starts `arguments[0]` (an absolute path or a name in `PATH`).
    public init(_ arguments: [String], environment: [String: String]? = nil) throws {
        let output = try ChildPipe()
        defer { close(output.write) }
        do {
            // Standard error too: a crash's message belongs in the test's report.
            self.child = try ChildProcess(arguments, environment: environment, stdout: .descriptor(output.write), stderr: .descriptor(output.write))
        } catch {
            close(output.read)
            throw error
        }
        let lines = LineQueue()
        self.lines = lines
        // Blocking reads on a thread of their own, until every holder of the write end is gone.
        Thread.detachNewThread {
            defer { close(output.read) }
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(output.read, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                pending += chunk[..<count]
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.push(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            lines.finish()
        }
    }

    /// The next line the program printed, or nil once its output ended.
    public func nextLine() async -> String? {
        await self.lines.next()
    }

    /// Waits for the program to exit; its status and, unless it is 0, how it ended and the last
    /// 200 lines it printed (enough for a crash's message and backtrace), for a test's report.
    public func waitForExitReport() async -> (status: Int32, report: String) {
        let status = await self.waitForExit()
        guard status != 0 else { return (status, "") }
        var last: [String] = []
        while let line = await self.nextLine() {
            last.append(line)
            if last.count > 200 { last.removeFirst() }
        }
        return (status, "exit status \(status) (\(self.terminationReason)); last lines:\n" + last.joined(separator: "\n"))
    }

    /// Sends `signal` (`SIGTERM`, `SIGINT`, …).
    public func send(_ signal: Int32) {
        self.child.send(signal)
    }

    /// Waits for the program to exit and returns its status (the signal's number when one
    /// killed it).
    public func waitForExit() async -> Int32 {
        await self.child.waitForExit().status
    }

    /// The resident set size now, and its peak, in bytes, from `/proc/<pid>/status`.
    public var memory: (resident: Int, peak: Int) {
        let status = (try? String(contentsOfFile: "/proc/\(self.pid)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return (Int(line.split(separator: " ").dropFirst().first(where: { !$0.isEmpty }) ?? "0") ?? 0) * 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    deinit {
        self.child.send(SIGTERM)
    }
}

/// Lines a process printed, in order, handed to one reader at a time.
private final class LineQueue: Sendable {
    private struct State {
        var lines: [String] = []
        var finished = false
        var waiter: CheckedContinuation<String?, Never>?
    }

    private let state = NIOLockedValueBox(State())

    func push(_ line: String) {
        let waiter = self.state.withLockedValue { state -> CheckedContinuation<String?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.lines.append(line)
            return nil
        }
        waiter?.resume(returning: line)
    }

    func finish() {
        let waiter = self.state.withLockedValue { state -> CheckedContinuation<String?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    func next() async -> String? {
        await withCheckedContinuation { continuation in
            let ready = self.state.withLockedValue { state -> String?? in
                if !state.lines.isEmpty { return .some(state.lines.removeFirst()) }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
