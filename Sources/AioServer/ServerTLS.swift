import NIOSSL

/// TLS for a server: a certificate chain and its private key, offered with ALPN `http/1.1`.
public struct ServerTLS: Sendable {
    let context: NIOSSLContext

    /// TLS from PEM files: the certificate chain (leaf first) and the private key.
    public static func files(certificateChain: String, privateKey: String) throws -> ServerTLS {
        let certificates = try NIOSSLCertificate.fromPEMFile(certificateChain).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates,
            privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKey, format: .pem))
        )
        configuration.applicationProtocols = ["http/1.1"]
        return ServerTLS(context: try NIOSSLContext(configuration: configuration))
    }
}
