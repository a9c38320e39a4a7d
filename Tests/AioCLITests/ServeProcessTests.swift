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

    /// `aio serve` on a free port with `extra` arguments; `launcher` runs it (such as setpriv
    /// with its options), `executable` replaces the built `aio`.
    static func start(_ extra: [String] = [], launcher: [String] = [], executable: String? = nil) async throws -> ServeProcess {
        let process = try RunningProcess(launcher + [try executable ?? aioExecutable, "serve", "--port", "0"] + extra)
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

    /// As an unprivileged user, as deployments run it (the systemd sample's `DynamicUser=yes`):
    /// `aio serve` answers and `aio get` fetches (both once set SO_DEBUG, which only root may,
    /// for TCP_NODELAY: the server died on its first connection, the client failed to connect),
    /// and a file the server may not read is a 403, said before anything is sent, not a 200
    /// head and a cut connection. As root, both run as nobody (util-linux's setpriv), from a
    /// copy of `aio` where nobody may run it.
    @Test(.timeLimit(.minutes(1)))
    func unprivileged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aio-unprivileged-\(UUID().uuidString)")
        let files = directory.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: files.path)
        try "public".write(to: files.appendingPathComponent("public.txt"), atomically: true, encoding: .utf8)
        let secret = files.appendingPathComponent("secret.txt")
        try "secret".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: files.appendingPathComponent("public.txt").path)
        let asRoot = geteuid() == 0
        try FileManager.default.setAttributes([.posixPermissions: asRoot ? 0o600 : 0o000], ofItemAtPath: secret.path)
        var launcher: [String] = []
        var executable: String?
        if asRoot {
            let copy = directory.appendingPathComponent("aio").path
            try FileManager.default.copyItem(atPath: try aioExecutable, toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy)
            (launcher, executable) = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], copy)
        }
        let server = try await ServeProcess.start(["--static", files.path], launcher: launcher, executable: executable)
        defer { server.process.send(SIGKILL) }
        let readable = try await ExternalProcess.run(launcher + [executable ?? aioExecutable, "get", "\(server.url)/static/public.txt"])
        #expect(readable.status == 0 && readable.output == "public", "\(readable.error)")
        let forbidden = try await ExternalProcess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/static/secret.txt"])
        #expect(forbidden.output == "403", "\(forbidden.error)")
        server.process.send(SIGTERM)
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
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
