import HTTPTypes
import NIOCore

/// Writes the body of a streamed response, with back-pressure: `write` waits while the client
/// is not reading. End it with ``finish(trailers:)``.
public struct ResponseBodyWriter: ~Copyable, Sendable {
    enum Target: Sendable {
        case connection(ConnectionLink)
        case capture(BodyCapture)
    }

    let target: Target
    /// Applied to every piece written, when set (compression).
    public var transform: (any BodyTransform)?

    init(link: ConnectionLink) {
        self.target = .connection(link)
    }

    /// A writer that keeps the body in `capture`: for in-process tests.
    package init(capture: BodyCapture) {
        self.target = .capture(capture)
    }

    /// Writes `buffer` as the next piece of the body.
    public mutating func write(_ buffer: ByteBuffer) async throws {
        if let transform = self.transform {
            try await self.writeUntransformed(transform.transform(buffer))
        } else {
            try await self.writeUntransformed(buffer)
        }
    }

    private mutating func writeUntransformed(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return }
        switch self.target {
        case .connection(let link):
            let wait = try await link.run { handler, state in
                try handler.writeBody(buffer, state: state)
            }
            if let wait {
                try await wait.get()
            }
        case .capture(let capture):
            capture.append(buffer)
        }
    }

    /// Ends the body; `trailers` are sent when the body is chunked.
    public consuming func finish(trailers: HTTPFields? = nil) async throws {
        if let transform = self.transform {
            try await self.writeUntransformed(transform.finish())
        }
        switch self.target {
        case .connection(let link):
            try await link.run { handler, state in
                try handler.finishBody(trailers: trailers, state: state)
            }
        case .capture(let capture):
            capture.finish(trailers: trailers)
        }
    }
}
