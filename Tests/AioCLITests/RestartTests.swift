import AioClient
import AioTestSupport
import AioTesting
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What wrk reported.
struct WrkReport: CustomStringConvertible {
    var requests = 0
    /// Connect, read, write and timeout errors together.
    var socketErrors = 0
    var non2xx = 0
    /// The 99th percentile latency, in milliseconds.
    var p99 = 0.0
    var output = ""

    var description: String { "\(self.requests) requests, \(self.socketErrors) socket errors, \(self.non2xx) non-2xx, p99 \(self.p99) ms" }

    /// Runs wrk against `url` (one thread, keep-alive connections).
    static func run(_ url: String, connections: Int, seconds: Int) async throws -> WrkReport {
        let result = try await ExternalProcess.run(["wrk", "-t1", "-c\(connections)", "-d\(seconds)s", "--latency", url])
        var report = WrkReport(output: result.output + result.error)
        for line in report.output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
            if line.contains("requests in"), let count = Int(words.first ?? "") {
                report.requests = count
            } else if line.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 3, write 0, timeout 0"
                report.socketErrors = stride(from: 3, to: words.count, by: 2).compactMap { Int(words[$0]) }.reduce(0, +)
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = Int(words.last ?? "") {
                report.non2xx = count
            } else if line.hasPrefix("99%"), let value = words.last {
                report.p99 = Self.milliseconds(value)
            }
        }
        return report
    }

    /// wrk's `12.34ms`, `850.00us` or `1.20s`.
    static func milliseconds(_ text: String) -> Double {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? 0) * scale
        }
        return 0
    }
}

/// No process of a restart wrote its id to the pid file in time.
struct PidFileUnchanged: Error {
    let path: String
}

/// Whether process `pid` has ended (gone, or a zombie nobody reaps).
func processEnded(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    guard let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(close, offsetBy: 2)] == "Z"
}

/// The live (not zombie) children of `parent`, from `/proc`.
func childProcesses(of parent: Int32) -> Set<Int32> {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var children: Set<Int32> = []
    for entry in entries {
        guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { continue }
        // After the name: state, then the parent's id.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 1, fields[0] != "Z", Int32(fields[1]) == parent { children.insert(pid) }
    }
    return children
}

/// `aio serve` restarted by SIGUSR2 under load, straight and behind HAProxy; and started by
/// systemd's socket activation.
@Suite("Restarts without downtime", .serialized)
struct RestartTests {
    /// The id in the pid file once it is not `old`: the process a restart started is ready.
    func awaitPid(_ file: URL, notEqualTo old: Int32?) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid != old
            {
                return pid
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PidFileUnchanged(path: file.path)
    }

    /// Waits for `pid` to end, for at most 30 s.
    func awaitEnd(_ pid: Int32) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while !processEnded(pid) {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Loads `url` with wrk and, from another connection pool, with a request every 50 ms on
    /// keep-alive connections that sit idle in between, while the server whose pid is in
    /// `pidFile` is restarted three times; then checks nothing failed.
    func restartUnderLoad(_ url: String, pidFile: URL) async throws {
        let first = try await self.awaitPid(pidFile, notEqualTo: nil)
        let load = Task { try await WrkReport.run(url + "/get", connections: 16, seconds: 10) }
        // Runs until the three restarts are over (however long a loaded machine takes), so that
        // its idle connections meet every one of them.
        let restarting = Mutex(true)
        let idleClient = Task { () -> (ok: Int, failed: [String]) in
            var (ok, failed) = (0, [String]())
            try await withClientSession { (session: ClientSession) async throws -> Void in
                while restarting.withLock({ $0 }) {
                    do {
                        let response = try await session.get(url + "/uuid")
                        _ = try await response.read()
                        if response.status == .ok { ok += 1 } else { failed.append("status \(response.status.code)") }
                    } catch {
                        failed.append("\(error)")
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            return (ok, failed)
        }
        var pid = first
        for _ in 0..<3 {
            // Steady load between restarts (pacing, not synchronisation).
            try await Task.sleep(for: .seconds(2))
            kill(pid, SIGUSR2)
            let next = try await self.awaitPid(pidFile, notEqualTo: pid)
            #expect(try await self.awaitEnd(pid), "the old process \(pid) drained and exited")
            pid = next
        }
        restarting.withLock { $0 = false }
        let report = try await load.value
        let idle = try await idleClient.value
        print("wrk on \(url) during three restarts: \(report); idle keep-alive client: \(idle.ok) requests")
        #expect(report.requests > 1000, "\(report.output)")
        #expect(report.socketErrors == 0, "\(report.output)")
        #expect(report.non2xx == 0, "\(report.output)")
        #expect(idle.failed.isEmpty, "\(idle.failed)")
        // Three restarts 2 s apart at least, a request every 50 ms or slower: some before, during
        // and after each.
        #expect(idle.ok >= 6)
        kill(pid, SIGTERM)
        #expect(try await self.awaitEnd(pid))
    }

    @Test(.timeLimit(.minutes(2)))
    func sigusr2HandsTheSocketOver() async throws {
        let directory = try scratchDirectory("restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("aio.pid")
        let server = try await ServeProcess.start(["--pid-file", pidFile.path])
        try await self.restartUnderLoad(server.url, pidFile: pidFile)
        // The first process drained and exited cleanly.
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
    }

    @Test(.timeLimit(.minutes(2)))
    func sigusr2BehindHAProxy() async throws {
        let directory = try scratchDirectory("restart-haproxy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("aio.pid")
        let server = try await ServeProcess.start(["--pid-file", pidFile.path, "--proxy-protocol", "--trusted-proxy", "127.0.0.1"])
        let (haproxy, port) = try await startHAProxy(in: directory, serverPort: server.port)
        defer { haproxy.send(SIGKILL) }
        try await self.restartUnderLoad("http://127.0.0.1:\(port)", pidFile: pidFile)
        haproxy.send(SIGTERM)
        _ = await haproxy.waitForExit()
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
    }

    /// Waits until `condition` holds, checking every 20 ms for at most 30 s.
    func awaitCondition(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// `--workers 2`: two processes accept on the supervisor's socket; one that dies is
    /// replaced; SIGTERM stops them all.
    @Test(.timeLimit(.minutes(1)))
    func workersShareTheSocketAndAreReplaced() async throws {
        let server = try await ServeProcess.start(["--workers", "2", "--threads", "1"])
        let supervisor = server.process.pid
        #expect(try await self.awaitCondition { childProcesses(of: supervisor).count == 2 })
        let first = childProcesses(of: supervisor)
        for _ in 0..<10 {
            let result = try await ExternalProcess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", server.url + "/get"])
            #expect(result.output == "200")
        }
        let killed = try #require(first.first)
        kill(killed, SIGKILL)
        #expect(try await self.awaitCondition {
            let now = childProcesses(of: supervisor)
            return now.count == 2 && !now.contains(killed)
        })
        let after = try await ExternalProcess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", server.url + "/get"])
        #expect(after.output == "200")
        // SIGUSR2: two new workers, then the old ones drain away.
        let beforeRestart = childProcesses(of: supervisor)
        kill(supervisor, SIGUSR2)
        #expect(try await self.awaitCondition {
            let now = childProcesses(of: supervisor)
            return now.count == 2 && now.isDisjoint(with: beforeRestart)
        })
        let restarted = try await ExternalProcess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", server.url + "/get"])
        #expect(restarted.output == "200")
        let workers = childProcesses(of: supervisor)
        server.process.send(SIGTERM)
        let (status, report) = await server.process.waitForExitReport()
        #expect(status == 0, "\(report)")
        #expect(workers.allSatisfy(processEnded))
    }

    /// Under a service manager (here a notification socket of the test's), each process a
    /// SIGUSR2 restart starts names itself `MAINPID=` to the manager, the second restart's too
    /// (its `NOTIFY_SOCKET` is its predecessor's); `--workers`' supervisor says `READY=1` for
    /// itself, and its workers say nothing to the manager.
    @Test(.timeLimit(.minutes(1)))
    func theServiceManagerFollowsEveryRestart() async throws {
        let directory = try scratchDirectory("notify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let socketPath = directory.appendingPathComponent("notify.sock").path
        let manager = try NotificationListener(path: socketPath)
        let environment = ProcessInfo.processInfo.environment.merging(["NOTIFY_SOCKET": socketPath]) { $1 }
        let pidFile = directory.appendingPathComponent("aio.pid")
        let server = try RunningProcess([try aioExecutable, "serve", "--port", "0", "--pid-file", pidFile.path], environment: environment)
        var pids = [try await self.awaitPid(pidFile, notEqualTo: nil)]
        for _ in 0..<2 {
            kill(pids.last!, SIGUSR2)
            pids.append(try await self.awaitPid(pidFile, notEqualTo: pids.last))
        }
        var told: [String] = []
        while !told.contains("MAINPID=\(pids[2])"), let message = try await manager.next() {
            told += message.split(separator: "\n").map(String.init)
        }
        for pid in pids { #expect(told.contains("MAINPID=\(pid)"), "\(told)") }
        kill(pids[2], SIGTERM)
        #expect(try await self.awaitEnd(pids[2]))
        _ = await server.waitForExit()

        let supervisor = try RunningProcess([try aioExecutable, "serve", "--port", "0", "--workers", "2"], environment: environment)
        var said: [String] = []
        while !said.contains("READY=1"), let message = try await manager.next() {
            said += message.split(separator: "\n").map(String.init)
        }
        #expect(said.filter { $0.hasPrefix("MAINPID=") } == ["MAINPID=\(supervisor.pid)"], "\(said)")
        supervisor.send(SIGTERM)
        #expect(await supervisor.waitForExit() == 0)
    }

    /// systemd's socket activation: `systemd-socket-activate` listens, and starts `aio serve`
    /// on the first connection with the socket as descriptor 3.
    @Test(.timeLimit(.minutes(1)))
    func systemdSocketActivation() async throws {
        let port = try freePort()
        let activator = try RunningProcess([
            "systemd-socket-activate", "--listen=127.0.0.1:\(port)", "--fdname=http", try aioExecutable, "serve", "--port", "1",
        ])
        defer { activator.send(SIGKILL) }
        try await waitUntilListening(port: port)
        // The first connection starts the server, which answers it on the socket it was given
        // (not on port 1, which it would not be allowed to bind).
        let result = try await ExternalProcess.run(["curl", "-sS", "--max-time", "20", "http://127.0.0.1:\(port)/get?activated=yes"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"activated\""), "\(result.output)")
        var announced: String?
        while let line = await activator.nextLine() {
            // systemd-socket-activate says "Listening on 127.0.0.1:… as 3." itself.
            if line.hasPrefix("Listening on http") {
                announced = line
                break
            }
        }
        #expect(announced == "Listening on http://127.0.0.1:\(port)")
        activator.send(SIGTERM)
        #expect(await activator.waitForExit() == 0)
    }
}

/// A service manager's notification socket for a test: a datagram socket bound to a path.
final class NotificationListener: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        self.descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard self.descriptor >= 0, bound == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    deinit { close(self.descriptor) }

    /// The next datagram, or nil when none came within 20 s.
    func next() async throws -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
