import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The repository's root, for the interop scripts and the virtualenv of test peers.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // AioTestSupport
    .deletingLastPathComponent()  // Sources
    .deletingLastPathComponent()

/// The Python of `.venv`, with the peers `Scripts/install-test-peers.sh` installs (the test
/// command runs it first).
public var peerPython: String {
    get throws {
        try peerProgram("python")
    }
}

/// A program of `.venv/bin` (`gunicorn`…).
public func peerProgram(_ name: String) throws -> String {
    let path = repositoryRoot.appendingPathComponent(".venv/bin/\(name)").path
    guard FileManager.default.isExecutableFile(atPath: path) else { throw PeersMissing() }
    return path
}

/// The peers are not installed.
public struct PeersMissing: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "The interop peers are not installed: run bash Scripts/install-test-peers.sh (or Scripts/test.sh)" }
}

/// A TCP port of 127.0.0.1 nothing is bound to now, for a peer that must be told its port
/// before it starts. It is drawn below the kernel's ephemeral range: a port the kernel gave out
/// (to a server on port 0, or as a client's source port) could otherwise be taken between this
/// call and the peer's bind: the peer fails to bind, and the test takes the other socket for
/// it (the likely cause of a tinyproxy test refused its connections while a concurrent test's
/// `aio serve --port 0` came and went).
public func freePort() throws -> Int {
    let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
        .split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? []
    let ephemeralStart = range.first ?? 32768
    let candidates = 10_000..<max(10_001, ephemeralStart)
    for _ in 0..<100 {
        let port = Int.random(in: candidates)
        let fd = tcpSocket()
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        close(fd)
        if bound { return port }
    }
    throw NoFreePort()
}

/// A hundred ports drawn below the ephemeral range were all taken.
public struct NoFreePort: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "no free port of 127.0.0.1 found below the ephemeral range" }
}

/// Waits until something accepts connections on 127.0.0.1:`port` (a peer started by a test that
/// prints nothing dependable when ready), checking every 20 ms for at most `seconds`.
public func waitUntilListening(port: Int, seconds: Double = 10) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !canConnect(port: port) {
        guard ContinuousClock.now < deadline else { throw PeerDidNotStart(port: port) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Nothing accepted connections on the port in time.
public struct PeerDidNotStart: Error, CustomStringConvertible {
    public let port: Int
    public var description: String { "nothing listens on 127.0.0.1:\(self.port): the peer did not start" }
}

private func canConnect(port: Int) -> Bool {
    let fd = tcpSocket()
    defer { close(fd) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

/// A new IPv4 TCP socket.
private func tcpSocket() -> Int32 {
    #if canImport(Glibc)
    socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    socket(AF_INET, SOCK_STREAM, 0)
    #endif
}

/// 127.0.0.1:`port`.
private func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return address
}

/// An nginx configuration for a test's private nginx: one worker, its pid file and temporary
/// files in `directory`, errors to standard error; `main` goes at the top level (modules,
/// `stream { … }`), `http` inside `http { … }`.
public func nginxConfiguration(directory: URL, main: String = "", http: String) -> String {
    """
    \(main)
    \(getuid() == 0 ? "user root;" : "")
    worker_processes 1;
    pid \(directory.path)/nginx.pid;
    error_log stderr warn;
    events { worker_connections 64; }
    http {
        client_body_temp_path \(directory.path)/body;
        proxy_temp_path \(directory.path)/proxy;
        fastcgi_temp_path \(directory.path)/fastcgi;
        uwsgi_temp_path \(directory.path)/uwsgi;
        scgi_temp_path \(directory.path)/scgi;
        \(http)
    }
    """
}

/// A new scratch directory for a peer's configuration, logs, pid file or files, named after
/// `name` in the system's temporary directory.
public func scratchDirectory(_ name: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aio-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
