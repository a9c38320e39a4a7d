import Dispatch
import Glibc

/// Runs `serve` in a detached task while the main thread waits on a semaphore, not in an async
/// `main`: valgrind (instructions.sh counts with callgrind) cannot run a process whose main
/// thread parks in libdispatch's `sigsuspend`.
package func runParkingMainThread(_ serve: @escaping @Sendable () async throws -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do {
            try await serve()
        } catch {
            print("\(CommandLine.arguments[0]): \(error)")
            exit(1)
        }
        done.signal()
    }
    done.wait()
}
