import NIOSSL

/// TLS for a server: a certificate chain and its private key, offered with ALPN `http/1.1`.
///
/// By default only TLS 1.2 and 1.3 are spoken (RFC 8996 deprecates 1.0 and 1.1), 1.3 when the
/// client has it, and TLS 1.2 only with forward-secret AEAD cipher suites (ECDHE with AES-GCM or
/// ChaCha20-Poly1305, as Mozilla's "intermediate" profile). An app that must serve older clients
/// lowers ``MinimumVersion``, which also brings back the library's wider list of suites.
public struct ServerTLS: Sendable {
    /// The oldest TLS version a client may use.
    public enum MinimumVersion: Sendable, Hashable {
        /// TLS 1.0: only for clients that cannot be upgraded (RFC 8996 forbids it).
        case tls1_0
        /// TLS 1.1: only for clients that cannot be upgraded (RFC 8996 forbids it).
        case tls1_1
        /// TLS 1.2, the default.
        case tls1_2
        /// TLS 1.3 only.
        case tls1_3
    }

    let context: NIOSSLContext

    /// The TLS 1.2 suites offered from the default minimum: ECDHE key exchange and AEAD ciphers.
    /// (TLS 1.3's suites are all AEAD and fixed by BoringSSL.)
    static let aeadCipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// TLS from PEM files: the certificate chain (leaf first) and the private key, for clients
    /// of `minimumVersion` and later.
    public static func files(
        certificateChain: String,
        privateKey: String,
        minimumVersion: MinimumVersion = .tls1_2
    ) throws -> ServerTLS {
        let certificates = try NIOSSLCertificate.fromPEMFile(certificateChain).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates,
            privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKey, format: .pem))
        )
        configuration.applicationProtocols = ["http/1.1"]
        switch minimumVersion {
        case .tls1_0:
            configuration.minimumTLSVersion = .tlsv1
        case .tls1_1:
            configuration.minimumTLSVersion = .tlsv11
        case .tls1_2:
            configuration.minimumTLSVersion = .tlsv12
            configuration.cipherSuiteValues = Self.aeadCipherSuites
        case .tls1_3:
            configuration.minimumTLSVersion = .tlsv13
        }
        return ServerTLS(context: try NIOSSLContext(configuration: configuration))
    }
}
