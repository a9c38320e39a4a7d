import Foundation

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
