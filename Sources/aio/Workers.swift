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
    /// The workers, each with the generation it was started for.
    private var workers: [Int32: Int] = [:]
    /// Counts SIGUSR2 restarts: the workers of an older generation are being replaced.
    private var generation = 0
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
        do {
            try await self.startWorkers()
        } catch {
            self.stop()
            await self.waitForWorkers()
            throw error
        }
        if let pidFile { try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8) }
        // Under systemd (Type=notify), this process is the service's main one.
        ServiceNotification.send("READY=1\nMAINPID=\(getpid())")
        for await signal in signals {
            guard signal == .sigusr2 else { break }
            cliLogger.info("SIGUSR2: starting \(self.count) new workers")
            self.generation += 1
            do {
                try await self.startWorkers()
                self.retire { $0 < self.generation }
            } catch {
                // Back to the old workers, replacing any that ended meanwhile.
                self.retire { $0 == self.generation }
                self.generation -= 1
                cliLogger.error("restart failed, the workers keep serving: \(error)")
                let generation = self.generation
                let missing = self.count - self.workers.values.count { $0 == generation }
                for _ in 0..<max(0, missing) { Task { await self.replace(for: generation) } }
            }
        }
        self.stop()
        await self.waitForWorkers()
        if let pidFile { unlink(pidFile) }
    }

    /// Tells every worker to stop and no more to start.
    private func stop() {
        self.stopping = true
        for pid in self.workers.keys { kill(pid, SIGTERM) }
    }

    /// Returns once no worker is left or on its way.
    private func waitForWorkers() async {
        while !self.workers.isEmpty || self.starting > 0 {
            await withCheckedContinuation { self.waiters.append($0) }
        }
    }

    /// Once stopping, wakes ``waitForWorkers()`` when no worker is left or on its way.
    private func checkStopped() {
        guard self.stopping, self.workers.isEmpty, self.starting == 0 else { return }
        self.waiters.forEach { $0.resume() }
        self.waiters = []
    }

    /// Starts `count` workers of the current generation and waits until each is ready.
    private func startWorkers() async throws {
        for _ in 0..<self.count { try await self.startWorker(for: self.generation) }
    }

    /// Starts a worker for `generation`, waits until it is ready, and watches for its end. One
    /// that became ready after a stop signal, or once its generation was replaced, is stopped
    /// at once.
    private func startWorker(for generation: Int) async throws {
        self.starting += 1
        defer {
            self.starting -= 1
            self.checkStopped()
        }
        let pid = try await Successor.start(executable: CommandLine.arguments[0], arguments: self.arguments, sockets: self.sockets, takesOver: false)
        self.workers[pid] = generation
        Task.detached { await self.ended(pid, status: await Self.exitStatus(of: pid)) }
        if self.stopping {
            kill(pid, SIGTERM)
        } else if generation < self.generation {
            self.workers[pid] = nil
            kill(pid, SIGTERM)
        }
    }

    /// Tells the workers whose generation satisfies `condition` to drain and stop; they are no
    /// longer counted (a pid already reaped is never signalled: its number may be reused).
    private func retire(where condition: (Int) -> Bool) {
        for (pid, generation) in self.workers where condition(generation) {
            self.workers[pid] = nil
            kill(pid, SIGTERM)
        }
    }

    /// A worker ended: replaced when it was not told to stop and its generation is current.
    private func ended(_ pid: Int32, status: Int32) async {
        guard let generation = self.workers.removeValue(forKey: pid) else { return }
        if self.stopping {
            self.checkStopped()
            return
        }
        guard generation == self.generation else { return }
        cliLogger.error("worker \(pid) ended (wait status \(status)): starting another")
        await self.replace(for: generation)
    }

    /// Starts one worker for `generation`, trying again (1 s, 2 s, … up to 10 s apart) until
    /// one is ready, the supervisor stops, or the generation is replaced.
    private func replace(for generation: Int) async {
        var attempt = 0
        while !self.stopping, generation == self.generation {
            do {
                try await self.startWorker(for: generation)
                return
            } catch {
                attempt += 1
                cliLogger.error("cannot start a worker (attempt \(attempt)): \(error)")
                try? await Task.sleep(for: .seconds(min(attempt, 10)))
            }
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
