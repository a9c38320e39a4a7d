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
        _ = files.createFile(atPath: stdout.path, contents: nil)
        _ = files.createFile(atPath: stderr.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        return Result(
            status: process.terminationStatus,
            output: try String(contentsOf: stdout, encoding: .utf8),
            error: try String(contentsOf: stderr, encoding: .utf8)
        )
    }
}

/// A program started by a test and left running: its output read line by line, its pid for
/// signals and `/proc`, its exit awaited.
public final class RunningProcess: Sendable {
    private let process: Process
    private let lines: LineQueue
    private let exit: AsyncStream<Int32>

    /// The process id.
    public var pid: Int32 { self.process.processIdentifier }

    /// How the process ended: "exit" or "uncaught signal".
    public var terminationReason: String {
        self.process.isRunning ? "running" : (self.process.terminationReason == .exit ? "exit" : "uncaught signal")
    }

    /// Starts `arguments[0]` (an absolute path or a name in `PATH`).
    public init(_ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let (exit, exitContinuation) = AsyncStream<Int32>.makeStream()
        let lines = LineQueue()
        let pending = NIOLockedValueBox("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                lines.finish()
                return
            }
            let complete = pending.withLockedValue { pending -> [String] in
                pending += String(decoding: data, as: UTF8.self)
                var parts = pending.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                pending = parts.removeLast()
                return parts
            }
            complete.forEach(lines.push)
        }
        process.terminationHandler = { process in
            exitContinuation.yield(process.terminationStatus)
            exitContinuation.finish()
        }
        self.process = process
        self.lines = lines
        self.exit = exit
        try process.run()
    }

    /// The next line the program printed, or nil once its output ended.
    public func nextLine() async -> String? {
        await self.lines.next()
    }

    /// Sends `signal` (`SIGTERM`, `SIGINT`, …).
    public func send(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Waits for the program to exit and returns its status.
    public func waitForExit() async -> Int32 {
        for await status in self.exit { return status }
        return self.process.terminationStatus
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
        if self.process.isRunning { self.process.terminate() }
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
