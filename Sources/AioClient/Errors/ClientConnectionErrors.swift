import AioWire

/// What sets one ``ClientConnectorError`` apart: what failed, and what to try.
public protocol ClientConnectorFailureKind: Sendable {
    /// The error's aiohttp name.
    static var name: String { get }
    /// The error's message for `host`:`port` and what failed underneath.
    static func describe(host: String, port: Int, underlying: String) -> String
}

/// A connection that could not be made: the one implementation behind
/// ``ClientConnectorSocketError``, ``ClientConnectorDNSError``, ``ClientConnectorSSLError`` and
/// ``ClientConnectorCertificateError``, each a name for this type with its kind.
public struct ClientConnectorFailure<Kind: ClientConnectorFailureKind>: ClientConnectorError {
    public let host: String
    public let port: Int
    public let underlying: (any Error)?

    /// An error for `host`:`port`, caused by `underlying`.
    public init(host: String, port: Int, underlying: (any Error)?) {
        self.host = host
        self.port = port
        self.underlying = underlying
    }

    public var name: String { Kind.name }

    public var description: String {
        Kind.describe(host: self.host, port: self.port, underlying: self.underlying.map { "\($0)" } ?? "no detail")
    }
}

/// The socket could not be connected: the server refused, the network is unreachable (aiohttp's
/// plain `ClientConnectorError`).
public typealias ClientConnectorSocketError = ClientConnectorFailure<ClientConnectorFailureKinds.Socket>
/// The host name did not resolve.
public typealias ClientConnectorDNSError = ClientConnectorFailure<ClientConnectorFailureKinds.DNS>
/// The TLS handshake failed for a reason other than the certificate.
public typealias ClientConnectorSSLError = ClientConnectorFailure<ClientConnectorFailureKinds.SSL>
/// The server's certificate was not trusted.
public typealias ClientConnectorCertificateError = ClientConnectorFailure<ClientConnectorFailureKinds.Certificate>
/// The proxy could not be reached, or closed the connection before opening a tunnel.
public typealias ClientProxyConnectionError = ClientConnectorFailure<ClientConnectorFailureKinds.Proxy>
/// The connector's Unix domain socket could not be connected (``ClientConnector/unixSocketPath``);
/// `host` holds the socket's path.
public typealias UnixClientConnectorError = ClientConnectorFailure<ClientConnectorFailureKinds.Unix>
/// The seed's name for ``ClientProxyConnectionError``.
public typealias ProxyConnectionError = ClientProxyConnectionError

/// The kinds of ``ClientConnectorFailure``.
public enum ClientConnectorFailureKinds {
    /// The socket could not be connected.
    public enum Socket: ClientConnectorFailureKind {
        public static let name = "ClientConnectorSocketError"
        public static func describe(host: String, port: Int, underlying: String) -> String {
            "Cannot connect to host \(host):\(port): \(underlying) (is the server running, and the port right?)"
        }
    }

    /// The name did not resolve.
    public enum DNS: ClientConnectorFailureKind {
        public static let name = "ClientConnectorDNSError"
        public static func describe(host: String, port: Int, underlying: String) -> String {
            "Cannot resolve host \(host): \(underlying) (check the name, or map it with the connector's resolve)"
        }
    }

    /// The TLS handshake failed.
    public enum SSL: ClientConnectorFailureKind {
        public static let name = "ClientConnectorSSLError"
        public static func describe(host: String, port: Int, underlying: String) -> String {
            "TLS handshake with \(host):\(port) failed: \(underlying) (does the server speak TLS on this port?)"
        }
    }

    /// The Unix domain socket could not be connected.
    public enum Unix: ClientConnectorFailureKind {
        public static let name = "UnixClientConnectorError"
        public static func describe(host: String, port: Int, underlying: String) -> String {
            "Cannot connect to the Unix socket \(host): \(underlying) (is the server listening there?)"
        }
    }

    /// The proxy failed.
    public enum Proxy: ClientConnectorFailureKind {
        public static let name = "ClientProxyConnectionError"
        public static func describe(host: String, port: Int, underlying: String) -> String {
            "Cannot connect through the proxy \(host):\(port): \(underlying) (is the proxy running, and its address right?)"
        }
    }

    /// The certificate was not trusted.
    public enum Certificate: ClientConnectorFailureKind {
        public static let name = "ClientConnectorCertificateError"
        public static func describe(host: String, port: Int, underlying: String) -> String {
            "The certificate of \(host):\(port) is not trusted: \(underlying) "
                + "(add its CA to the connector's trust roots, or pin its fingerprint)"
        }
    }
}

/// The server closed the connection before its response was complete, or the connection was
/// found closed when the request was written (aiohttp's `ServerDisconnectedError`).
public struct ServerDisconnectedError: ServerConnectionError, DisconnectedError {
    /// What the client was doing.
    public let message: String
    /// Whether nothing of the response had arrived: a request that can be repeated may be
    /// sent again on a new connection.
    public let nothingReceived: Bool

    /// An error saying `message`.
    public init(_ message: String = "Server disconnected", nothingReceived: Bool = false) {
        self.message = message
        self.nothingReceived = nothingReceived
    }

    public var description: String { self.message }
}

/// This side closed the connection while a request used it: the session was closed with the
/// request still running (the seed's `ClientDisconnectedError`).
public struct ClientDisconnectedError: ClientConnectionError, DisconnectedError {
    /// What closed it.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String = "The session was closed while the request was running") {
        self.message = message
    }

    public var description: String { self.message + " (close a session only once its requests have ended)" }
}

/// The connection was reset while the request was being written.
public struct ClientConnectionResetError: ClientConnectionError {
    /// What failed underneath.
    public let underlying: (any Error)?

    /// An error caused by `underlying`.
    public init(underlying: (any Error)?) {
        self.underlying = underlying
    }

    public var description: String { "Connection reset by peer\(self.underlying.map { ": \($0)" } ?? "")" }
}

/// Connecting, or waiting for a free connection of the pool, took longer than
/// ``ClientTimeout/connect`` or ``ClientTimeout/sockConnect``.
public struct ConnectionTimeoutError: ServerTimeoutError {
    /// The host the client tried to reach.
    public let host: String
    /// The port the client tried to reach.
    public let port: Int
    /// The timeout that fired, in seconds.
    public let seconds: Double

    /// An error for `host`:`port` after `seconds`.
    public init(host: String, port: Int, seconds: Double) {
        self.host = host
        self.port = port
        self.seconds = seconds
    }

    public var description: String {
        "Connection timeout to \(self.host):\(self.port) after \(self.seconds) s (raise ClientTimeout.connect if the pool is busy)"
    }
}

/// No byte of the response arrived for ``ClientTimeout/sockRead``.
public struct SocketTimeoutError: ServerTimeoutError {
    /// The host the client was reading from.
    public let host: String
    /// The timeout that fired, in seconds.
    public let seconds: Double

    /// An error for `host` after `seconds`.
    public init(host: String, seconds: Double) {
        self.host = host
        self.seconds = seconds
    }

    public var description: String { "Timeout on reading data from \(self.host): nothing for \(self.seconds) s" }
}

/// The whole exchange took longer than ``ClientTimeout/total``.
public struct TotalTimeoutError: ClientTimeoutError {
    /// The URL requested.
    public let url: String
    /// The timeout that fired, in seconds.
    public let seconds: Double

    /// An error for `url` after `seconds`.
    public init(url: String, seconds: Double) {
        self.url = url
        self.seconds = seconds
    }

    public var description: String { "Request to \(self.url) took longer than its total timeout of \(self.seconds) s" }
}

/// The server's certificate is not the one pinned (aiohttp's `ServerFingerprintMismatch`).
public struct FingerprintMismatch: ServerConnectionError {
    /// The SHA-256 fingerprint pinned.
    public let expected: [UInt8]
    /// The SHA-256 fingerprint of the certificate the server presented.
    public let got: [UInt8]
    /// The host connected to.
    public let host: String
    /// The port connected to.
    public let port: Int

    /// An error for `host`:`port`.
    public init(expected: [UInt8], got: [UInt8], host: String, port: Int) {
        self.expected = expected
        self.got = got
        self.host = host
        self.port = port
    }

    public var description: String {
        "Server fingerprint mismatch for \(self.host):\(self.port): expected \(Hex.string(self.expected)), got \(Hex.string(self.got))"
    }
}

/// The response body could not be read whole: the connection closed early, a chunk was
/// malformed, or a compressed body was cut short or corrupt. Never a short body instead.
public struct ClientPayloadError: ClientError {
    /// What went wrong.
    public let message: String
    /// The error underneath (a parser or decompression error).
    public let underlying: (any Error)?

    /// An error saying `message`, caused by `underlying`.
    public init(_ message: String, underlying: (any Error)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "Response payload is not completed: \(self.message)\(self.underlying.map { " (\($0))" } ?? "")" }
}
