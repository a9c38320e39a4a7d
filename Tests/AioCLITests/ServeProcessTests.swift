import AioTestSupport
import AioTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The `aio` executable built next to the tests.
var aioExecutable: String {
    get throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("aio").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw AioNotBuilt()
    }
}

struct AioNotBuilt: Error, CustomStringConvertible {
    var description: String { "The aio executable is not built next to the tests; run swift build first" }
}

/// `aio serve` as a separate process: what an operator runs, measured from outside.
struct ServeProcess {
    let process: RunningProcess
    let url: String

    static func start(_ extra: [String] = []) async throws -> ServeProcess {
        let process = try RunningProcess([try aioExecutable, "serve", "--port", "0"] + extra)
        while let line = await process.nextLine() {
            if line.hasPrefix("Listening on ") {
                return ServeProcess(process: process, url: String(line.dropFirst("Listening on ".count)))
            }
        }
        throw AioNotBuilt()
    }

    func run(_ script: String, _ arguments: [String]) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run(
            [try peerPython, repositoryRoot.appendingPathComponent("Tests/Interop/\(script)").path, "--url", self.url] + arguments
        )
    }

    /// Starts `aio serve` with `serveArguments`, runs `script` against it with the arguments
    /// `arguments` makes (they may name the server's pid), expects the script to succeed and the
    /// server to exit 0 on SIGTERM, and returns what the script printed.
    @discardableResult
    static func check(
        _ script: String,
        serveArguments: [String] = [],
        _ arguments: (ServeProcess) -> [String] = { _ in [] }
    ) async throws -> String {
        let server = try await ServeProcess.start(serveArguments)
        let result = try await server.run(script, arguments(server))
        #expect(result.status == 0, "\(result.output)\(result.error)")
        server.process.send(SIGTERM)
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
        return result.output
    }
}

@Suite("aio serve as a process", .serialized)
struct ServeProcessTests {
    @Test(.timeLimit(.minutes(2)))
    func slowlorisNeitherBlocksNorSurvives() async throws {
        try await ServeProcess.check("slowloris.py", serveArguments: ["--head-timeout", "3"]) { _ in
            ["--connections", "500", "--head-timeout", "3"]
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func memoryStaysFlat() async throws {
        try await ServeProcess.check("resources.py") { ["--pid", "\($0.process.pid)"] }
    }

    /// A 1 GiB file through `request.post()` (spooled to disk) and `request.multipart()`
    /// (streamed): sizes and digests right, peak RSS under 64 MiB.
    @Test(.timeLimit(.minutes(5)))
    func gibibyteUploadsInConstantMemory() async throws {
        try await ServeProcess.check("upload_memory.py") { ["--pid", "\($0.process.pid)"] }
    }

    @Test(.timeLimit(.minutes(2)))
    func sigtermLetsInFlightRequestsFinish() async throws {
        let server = try await ServeProcess.start()
        let result = try await server.run("sigterm.py", ["--pid", "\(server.process.pid)"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
    }
}
