import HTTPTypes

// The families of client errors, as aiohttp's `client_exceptions`: catch a family to catch every
// error beneath it (`catch let error as ClientConnectionError`). Concrete errors are structs; a
// family is a protocol, so one error can belong to two (a connect timeout is both a
// ``ServerTimeoutError`` and a ``ClientTimeoutError``).

/// Every error the client throws.
public protocol ClientError: Error, Sendable, CustomStringConvertible {
    /// The error's name as aiohttp users know it (`ClientConnectorDNSError`), for messages and
    /// the command line: a generic implementation's own type name says less.
    var name: String { get }
}

extension ClientError {
    public var name: String { String(describing: type(of: self)) }
}

/// The connection to the server failed, before, while or after the request was sent.
public protocol ClientConnectionError: ClientError {}

/// The operating system refused a socket operation.
public protocol ClientOSError: ClientConnectionError {}

/// No connection could be made to `host`:`port`.
public protocol ClientConnectorError: ClientOSError {
    /// The host the client tried to reach.
    var host: String { get }
    /// The port the client tried to reach.
    var port: Int { get }
    /// What failed underneath (an `IOError`, a resolver or TLS error).
    var underlying: (any Error)? { get }
}

/// The server went wrong on an established connection.
public protocol ServerConnectionError: ClientConnectionError {}

/// The server did not answer in time: a connect or socket-read timeout.
public protocol ServerTimeoutError: ServerConnectionError, ClientTimeoutError {}

/// A timeout of the client fired (``ClientTimeout``): catch this to catch every timeout.
public protocol ClientTimeoutError: ClientError {}

/// The client and the server disagree about HTTP: a request that cannot be sent, a response
/// that is not what was asked for.
public protocol ClientHttpProcessingError: ClientError {}

/// A response the caller refuses: its status (``ClientResponse/raiseForStatus()``), its content
/// type, a redirect loop, a refused proxy tunnel or WebSocket handshake.
public protocol ClientResponseError: ClientHttpProcessingError {
    /// The response's status.
    var status: HTTPResponse.Status { get }
    /// What was wrong.
    var message: String { get }
    /// The response's header fields.
    var headers: HTTPFields { get }
}

/// A URL the client cannot use.
public protocol InvalidURL: ClientError {
    /// The URL as given.
    var url: String { get }
}

/// A peer closed the connection before the exchange was over (the seed's
/// `DisconnectedError`).
public protocol DisconnectedError: ClientConnectionError {}
