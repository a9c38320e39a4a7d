#if os(Linux)
import AioHTTP
import Foundation
import Glibc
import Logging
import UnixSignals

/// `aio serve --workers N`: this process binds the socket and keeps N worker processes serving
/// it (`aio serve` again, handed the socket as systemd would), as gunicorn's arbiter does.
/// SIGTERM and SIGINT stop the workers gracefully; SIGUSR2 starts N new ones and then drains the
/// old ones, so no connection is refused; a worker that dies is replaced.
actor WorkerSupervisor {
    private let sockets: [ListeningSocket]
    private let arguments: [String]
    private let count: Int
    private var workers: Set<Int32> = []
    /// Workers being started, not yet ready.
    private var starting = 0
    private var stopping = false
    /// Waiting for the last worker to end once stopping.
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A supervisor of `count` workers started with `arguments` on `sockets`.
    init(sockets: [ListeningSocket], arguments: [String], count: Int) {
        self.sockets = sockets
        self.arguments = arguments
        self.count = count
    }

    /// Starts the workers and supervises them until a stop signal, then waits for them to end.
    func run(pidFile: String?) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sigusr2)
        try await self.startWorkers()
        if let pidFile { try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8) }
        for await signal in signals {
            if signal == .sigusr2 {
                cliLogger.info("SIGUSR2: starting \(self.count) new workers")
                let old = self.workers
                do {
                    try await self.startWorkers()
                    for pid in old { self.retire(pid) }
                } catch {
                    cliLogger.error("restart failed, the workers keep serving: \(error)")
                }
                continue
            }
            self.stopping = true
            for pid in self.workers { kill(pid, SIGTERM) }
            break
        }
        while !self.workers.isEmpty || self.starting > 0 {
            await withCheckedContinuation { self.waiters.append($0) }
        }
        if let pidFile { unlink(pidFile) }
    }

    /// Once stopping, wakes ``run(pidFile:)`` when no worker is left or on its way.
    private func checkStopped() {
        guard self.stopping, self.workers.isEmpty, self.starting == 0 else { return }
        self.waiters.forEach { $0.resume() }
        self.waiters = []
    }

    /// Starts `count` workers and waits until each is ready.
    private func startWorkers() async throws {
        for _ in 0..<self.count { try await self.startWorker() }
    }

    /// Starts a worker, waits until it is ready, and watches for its end; one that became ready
    /// after a stop signal is stopped at once.
    private func startWorker() async throws {
        self.starting += 1
        defer {
            self.starting -= 1
            self.checkStopped()
        }
        let pid = try await Successor.start(executable: CommandLine.arguments[0], arguments: self.arguments, sockets: self.sockets)
        self.workers.insert(pid)
        Task.detached { await self.ended(pid, status: await Self.exitStatus(of: pid)) }
        if self.stopping { kill(pid, SIGTERM) }
    }

    /// Tells `pid` to drain and stop; it is no longer one of the workers.
    private func retire(_ pid: Int32) {
        self.workers.remove(pid)
        kill(pid, SIGTERM)
    }

    /// A worker ended: replaced when it was not told to stop.
    private func ended(_ pid: Int32, status: Int32) async {
        guard self.workers.remove(pid) != nil else { return }
        if self.stopping {
            self.checkStopped()
            return
        }
        cliLogger.error("worker \(pid) ended (wait status \(status)): starting another")
        do {
            try await self.startWorker()
        } catch {
            cliLogger.error("cannot replace worker \(pid): \(error)")
        }
    }

    /// Waits for child `pid` to exit, on a thread of its own (the wait blocks).
    private static func exitStatus(of pid: Int32) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
    }

    /// This program's arguments for a worker: without `--workers` and `--pid-file` (the
    /// supervisor keeps those).
    static func workerArguments(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "--workers" || argument == "--pid-file" {
                skipNext = true
            } else if !argument.hasPrefix("--workers=") && !argument.hasPrefix("--pid-file=") {
                result.append(argument)
            }
        }
        return result
    }
}
#endif
