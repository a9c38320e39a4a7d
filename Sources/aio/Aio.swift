import ArgumentParser
import Dispatch

/// `aio`: the swift-aiohttp command line.
struct Aio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aio",
        abstract: "swift-aiohttp: HTTP tools on the swift-aiohttp toolkit.",
        subcommands: [Serve.self, Echo.self, Parse.self, WS.self, Get.self, Head.self, Post.self, Put.self, Patch.self, Delete.self, Options.self, Bench.self]
    )
}

/// Runs ``Aio`` in a task while the main thread waits on a semaphore, rather than from an async
/// `main`: valgrind (`Benchmarks/e2e/instructions.sh` counts `aio serve`'s instructions per
/// request) cannot run a process whose main thread parks in libdispatch's `sigsuspend`.
@main
enum AioMain {
    static func main() {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await Aio.main()
            done.signal()
        }
        done.wait()
    }
}
