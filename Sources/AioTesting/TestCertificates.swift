import Foundation

/// A throwaway certificate authority and a server certificate it signed for `localhost` and
/// `127.0.0.1`, made with `openssl` in a temporary directory, for TLS tests of servers and
/// clients.
public struct TestCertificates: Sendable {
    /// The directory holding the files; ``remove()`` deletes it.
    public let directory: URL

    /// The CA certificate (PEM) clients should trust.
    public var authority: String { self.directory.appendingPathComponent("ca.pem").path }
    /// The server's certificate (PEM).
    public var certificate: String { self.directory.appendingPathComponent("server.pem").path }
    /// The server's private key (PEM).
    public var privateKey: String { self.directory.appendingPathComponent("server.key").path }

    /// Makes a CA and a server certificate valid for two days.
    public static func make() async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aio-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for command in [
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=aio-test-ca",
            "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost",
            "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext",
            "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext",
        ] {
            let result = try await ExternalProcess.run(["sh", "-c", command], directory: directory)
            guard result.status == 0 else { throw CertificateError(command: command, error: result.error) }
        }
        return TestCertificates(directory: directory)
    }

    /// Deletes the files.
    public func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// An `openssl` step failed.
    public struct CertificateError: Error, CustomStringConvertible {
        /// The `openssl` command that failed.
        public let command: String
        /// What it wrote to standard error.
        public let error: String
        public var description: String { "\(self.command): \(self.error)" }
    }
}
