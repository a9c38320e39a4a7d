import Foundation
import Testing

@testable import aio

@Suite("aio parse")
struct ParseCommandTests {
    func decode(_ text: String, response: Bool = false) -> (Bool, [[String: Any]]) {
        var lines: [String] = []
        let ok = Parse.decode(
            text.unicodeScalars.map { UInt8($0.value) },
            response: response,
            configuration: .init(),
            emit: { lines.append($0) }
        )
        let objects = lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        return (ok, objects)
    }

    @Test func requestsAsJSONLines() throws {
        let (ok, objects) = decode(
            "GET /a HTTP/1.1\r\nHost: x\r\nX-Latin: caf\u{E9}\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nT: 1\r\n\r\n"
        )
        #expect(ok)
        #expect(objects.count == 2)
        #expect(objects[0]["method"] as? String == "GET")
        #expect(objects[0]["target"] as? String == "/a")
        #expect(objects[0]["version"] as? String == "HTTP/1.1")
        #expect(objects[0]["headers"] as? [[String]] == [["Host", "x"], ["X-Latin", "caf\u{E9}"]])
        #expect(objects[1]["body_length"] as? Int == 5)
        #expect(objects[1]["body_sha256"] as? String == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(objects[1]["trailers"] as? [[String]] == [["T", "1"]])
    }

    @Test func errorWithStatusAndOffset() throws {
        let (ok, objects) = decode("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nBad : x\r\n\r\n")
        #expect(!ok)
        #expect(objects.count == 2)
        let error = try #require(objects[1]["error"] as? [String: Any])
        #expect(error["type"] as? String == "InvalidHeader")
        #expect(error["status"] as? Int == 400)
        #expect(error["offset"] as? Int == 46)
    }

    @Test func responses() throws {
        let (ok, objects) = decode("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc", response: true)
        #expect(ok)
        #expect(objects.first?["status"] as? Int == 404)
        #expect(objects.first?["reason"] as? String == "Not Found")
        #expect(objects.first?["body_length"] as? Int == 3)
    }

    @Test func truncatedInputIsAnError() throws {
        let (ok, objects) = decode("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        #expect(!ok)
        #expect((objects.last?["error"] as? [String: Any])?["type"] as? String == "IncompleteMessage")
    }

    /// After a message that closes the connection, the rest is not read as another message:
    /// a server stops there too.
    @Test(arguments: [
        "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /a HTTP/1.0\r\n\r\n",
        "POST /a HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
    ])
    func stopsAfterAClosingMessage(_ first: String) throws {
        let (ok, objects) = decode(first + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(ok)
        #expect(objects.count == 2)
        #expect(objects[0]["target"] as? String == "/a")
        #expect(objects[1]["closed"] as? Bool == true)
        #expect(objects[1]["remaining_bytes"] as? Int == 28)

        let (kept, both) = decode("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(kept)
        #expect(both.compactMap { $0["target"] as? String } == ["/a", "/b"])
    }

    @Test func stopsAfterAClosingResponse() throws {
        let (ok, objects) = decode(
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nxHTTP/1.1 200 OK\r\n\r\n",
            response: true
        )
        #expect(ok)
        #expect(objects.count == 2)
        #expect(objects[1]["remaining_bytes"] as? Int == 19)
    }
}
