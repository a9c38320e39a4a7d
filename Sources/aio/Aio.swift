import ArgumentParser

/// `aio`: the swift-aiohttp command line.
@main
struct Aio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aio",
        abstract: "swift-aiohttp: HTTP tools on the swift-aiohttp toolkit.",
        subcommands: [Serve.self, Echo.self, Parse.self, WS.self]
    )
}
