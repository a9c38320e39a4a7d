import AioClient
import AioTestSupport
import NIOCore
import Testing

/// The strict response cases of llhttp's corpus (`../shared/conformance`), each served whole by a
/// raw server that then closes: through the client, every case the parser accepts gives its
/// first final response with the right status and body, and every case it rejects is a typed
/// client error, never a response with a wrong or short body.
@Suite("Client against the llhttp response corpus")
struct ClientConformanceTests {
    static let cases = Corpus.strictResponses.filter { $0.harness_class != "api-only" }

    @Test("corpus case", .timeLimit(.minutes(1)), arguments: Self.cases)
    func throughTheClient(_ corpusCase: CorpusCase) async throws {
        let bytes = corpusCase.bytes
        let server = try await RawServer.start { inbound, outbound, _ in
            _ = try await inbound.readHead()
            try await outbound.write(ByteBuffer(bytes: bytes))
        }
        let outcome: Result<(Int, [UInt8]), any Error>
        do {
            outcome = try await withClientSession(autoDecompress: false) { (session: ClientSession) async throws -> Result<(Int, [UInt8]), any Error> in
                let response = try await session.get(server.url, allowRedirects: false, timeout: ClientTimeout(total: 10))
                let body = try await response.read()
                return .success((Int(response.status.code), Array(body.readableBytesView)))
            }
        } catch {
            outcome = .failure(error)
        }
        await server.stop()
        // The first final answer: interim 1xx are passed over; a 101 nobody asked for is refused.
        let first = corpusCase.messages.first { ($0.status ?? 0) >= 200 || $0.status == 101 }
        let accepted = ["ok", "close-after", "incomplete"].contains(corpusCase.harness_class)
        switch outcome {
        case .success(let (status, body)):
            // A message the corpus leaves incomplete may end with the connection (a body
            // delimited by the close): its body is then all the corpus saw. A body cut short of
            // its length is an error, never a response.
            #expect(accepted, "a case the parser rejects gave a response")
            #expect(status == first?.status && status != 101)
            #expect(body == first.map { latin1($0.body) })
        case .failure(let error):
            #expect(error is any ClientError, "\(type(of: error)): \(error)")
            #expect(!accepted || first?.complete != true || first?.status == 101, "an accepted case failed: \(error)")
        }
    }
}
