import AioWeb

extension Application {
    /// Runs `body` with a client to this application, in process or through a live server
    /// (as Hummingbird's `.router` and `.live` test modes). Startup and cleanup signals run
    /// around it.
    public func test<Result>(_ mode: TestMode, _ body: (TestClient) async throws -> Result) async throws -> Result {
        let frozen = try self.freeze()
        try await self.startup()
        do {
            let result: Result
            switch mode {
            case .router:
                result = try await body(TestClient(target: .router(frozen)))
            case .live:
                result = try await withTestServer(responder: try ApplicationResponder(self)) { server in
                    try await body(TestClient(target: .live(server)))
                }
            }
            try await self.shutdown()
            try await self.cleanup()
            return result
        } catch {
            try? await self.shutdown()
            try? await self.cleanup()
            throw error
        }
    }
}
