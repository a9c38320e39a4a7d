import HTTPTypes
import NIOCore

/// Writes the one response to a request. It can be used once: `write` sends a whole response,
/// `writeHead` starts a streamed one.
///
/// ```swift
/// try await writer.write(HTTPResponse(status: .ok), body: ByteBuffer(string: "hello"))
/// ```
///
/// The server adds `Date`, `Server`, the framing (`Content-Length`, or chunked for HTTP/1.1
/// when the length is unknown) and `Connection`; a response to HEAD, a 204 or a 304 carries no
/// body bytes.
public struct ResponseWriter: ~Copyable, Sendable {
    let link: ConnectionLink

    init(link: ConnectionLink) {
        self.link = link
    }

    /// Writes `response` with a body held in memory.
    public consuming func write(_ response: HTTPResponse, body: ByteBuffer = ByteBuffer()) async throws {
        try await self.link.run { handler, state in
            try handler.writeWhole(response, body: body, state: state)
        }
    }

    /// Writes `response` with `text` in UTF-8 as its body: a short text goes straight into the
    /// head's buffer, with no buffer of its own.
    public consuming func write(_ response: HTTPResponse, text: String) async throws {
        try await self.link.run { handler, state in
            try handler.writeWhole(response, text: text, state: state)
        }
    }

    /// Answers an upgrade request with `response`, `101 Switching Protocols`, and hands the
    /// connection to the protocol it names: the connection carries raw bytes both ways from now
    /// on, and closes when the returned connection is closed or the handler returns.
    ///
    /// - Throws: ``UpgradeNotRequested`` when the request did not ask to upgrade or `response`
    ///   is not a 101.
    public consuming func switchProtocols(_ response: HTTPResponse) async throws -> UpgradedConnection {
        let inbound = try await self.link.run { handler, state in
            try handler.switchProtocols(response, state: state)
        }
        return UpgradedConnection(inbound: inbound, link: self.link)
    }

    /// Writes the head of `response` and returns the writer of its body. Give `contentLength`
    /// when the body's size is known; otherwise HTTP/1.1 responses are chunked and HTTP/1.0 ones
    /// end with the connection.
    public consuming func writeHead(_ response: HTTPResponse, contentLength: Int? = nil) async throws -> ResponseBodyWriter {
        try await self.link.run { handler, state in
            try handler.writeHead(response, contentLength: contentLength, state: state)
        }
        return ResponseBodyWriter(link: self.link)
    }
}
