import AioHTTP
import ArgumentParser

@main
struct Aio: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "aio", abstract: "swift-aiohttp tools")
}
