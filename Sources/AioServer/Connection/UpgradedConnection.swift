import NIOCore

/// A connection handed to another protocol by `101 Switching Protocols`, a WebSocket say: raw
/// bytes both ways, with back-pressure both ways.
public struct UpgradedConnection: Sendable {
    /// What the client sends from now on, the bytes that came right behind its request first.
    public let inbound: RequestBody
    let link: ConnectionLink

    /// Writes `bytes` as they are, returning once the socket takes more.
    ///
    /// - Throws: ``ConnectionClosed`` once the connection is closed.
    public func write(_ bytes: ByteBuffer) async throws {
        let wait = try await self.link.run { handler, state in
            guard !state.finished else { throw ConnectionClosed() }
            return try handler.writeBody(bytes, state: state)
        }
        if let wait {
            try await wait.get()
        }
    }

    /// Closes the connection once what was written has gone out; closing again does nothing.
    public func close() async {
        try? await self.link.run { handler, state in
            guard !state.finished else { return }
            try handler.finishBody(trailers: nil, state: state)
        }
    }
}
