import AioHTTP
import AioTesting

/// Serves `app` on a free port of 127.0.0.1 (startup and cleanup signals included) and runs
/// `body` with a client session to it: the examples are tested as their users reach them.
func withLiveApp<Result: Sendable>(_ app: Application, _ body: (ClientSession) async throws -> Result) async throws -> Result {
    try await app.test(.live) { client in
        try await withClientSession(baseURL: "http://127.0.0.1:\(client.port ?? 0)") { session in
            try await body(session)
        }
    }
}
