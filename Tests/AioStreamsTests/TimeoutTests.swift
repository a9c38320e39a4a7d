import AioStreams
import Testing

@Suite("withTimeout")
struct TimeoutTests {
    @Test func fastOperationReturns() async throws {
        #expect(try await withTimeout(.seconds(30)) { 42 } == 42)
    }

    @Test func slowOperationIsCancelled() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: TimeoutError(timeout: .milliseconds(50))) {
            try await withTimeout(.milliseconds(50)) {
                try await Task.sleep(for: .seconds(600))
            }
        }
        #expect(clock.now - start < .seconds(60), "the operation was cancelled, not awaited")
    }

    struct Boom: Error, Equatable {}

    @Test func errorsPassThrough() async throws {
        await #expect(throws: Boom()) {
            try await withTimeout(.seconds(30)) { throw Boom() }
        }
    }
}
