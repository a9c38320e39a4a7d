import AioHTTP
import ArgumentParser
import Logging

/// `aio serve`: the demo server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the demo server: httpbin's API on swift-aiohttp.",
        discussion: "Shuts down gracefully on Ctrl-C or SIGTERM: in-flight requests finish, then it exits."
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "A PEM certificate chain, to serve HTTPS.")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "The oldest TLS version clients may use: 1.2 (default) or 1.3; 1.0 and 1.1 only for clients that cannot be upgraded.")
    var tlsMinVersion: TLSMinimumVersion = .v1_2

    @Option(name: .customLong("static"), help: "A directory to serve at /static/.")
    var staticDirectory: String?

    @Flag(help: "Log every request in aiohttp's access log format.")
    var accessLog = false

    @Option(help: "Event loops (threads); defaults to one per core.")
    var threads: Int?

    @Option(help: "Seconds a client may take to send a request head (default 30).")
    var headTimeout: Double?

    @Option(help: "Seconds an idle keep-alive connection stays open (default 75).")
    var idleTimeout: Double?

    @Flag(help: "Expect HAProxy's PROXY protocol (v1 or v2) before every connection, from --trusted-proxy peers only.")
    var proxyProtocol = false

    @Option(help: "A balancer's address or CIDR block trusted to speak for clients (repeat for several).")
    var trustedProxy: [String] = []

    func validate() throws {
        if (self.tlsCert == nil) != (self.tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if self.proxyProtocol, self.trustedProxy.isEmpty {
            throw ValidationError("--proxy-protocol needs at least one --trusted-proxy")
        }
        for block in self.trustedProxy {
            do {
                _ = try NetworkRange(block)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    func run() async throws {
        var configuration = ServerConfiguration(address: .hostname(self.host, port: self.port))
        if let certificate = self.tlsCert, let key = self.tlsKey {
            configuration.tls = try .files(certificateChain: certificate, privateKey: key, minimumVersion: self.tlsMinVersion.value)
        }
        if self.accessLog { configuration.accessLog = .withTiming }
        if let threads = self.threads { configuration.eventLoopCount = threads }
        if let seconds = self.headTimeout { configuration.headReadTimeout = .milliseconds(Int(seconds * 1000)) }
        if let seconds = self.idleTimeout { configuration.idleTimeout = .milliseconds(Int(seconds * 1000)) }
        if self.proxyProtocol {
            configuration.proxyProtocol = ProxyProtocolConfiguration(trustedNetworks: try self.trustedProxy.map(NetworkRange.init))
        }
        let app = try Httpbin.makeApplication(staticDirectory: self.staticDirectory)
        try await runApplication(app, configuration: configuration)
    }
}

/// The values of `--tls-min-version`.
enum TLSMinimumVersion: String, ExpressibleByArgument, CaseIterable {
    case v1_0 = "1.0"
    case v1_1 = "1.1"
    case v1_2 = "1.2"
    case v1_3 = "1.3"

    var value: ServerTLS.MinimumVersion {
        switch self {
        case .v1_0: .tls1_0
        case .v1_1: .tls1_1
        case .v1_2: .tls1_2
        case .v1_3: .tls1_3
        }
    }
}
