@testable import AioServer
import AioWire
import Testing

/// The framing and persistence rules of RFC 9112 §6.3 and §9.6, one case each, without sockets.
struct ResponsePlanTests {
    struct Case: Sendable, CustomStringConvertible {
        var status = 200
        var head = false
        var version = HTTPVersion.http1_1
        var length: Int? = nil
        var declared: Int? = nil
        var closing = false
        var framing: ResponseFraming
        var fields: ServerFields.Framing
        var closes = false
        var connection: String? = nil
        var description: String { "\(self.status) head=\(self.head) \(self.version) length=\(self.length.map(String.init) ?? "-") declared=\(self.declared.map(String.init) ?? "-")" }
    }

    @Test(arguments: [
        Case(length: 5, framing: .length(5), fields: .contentLength(5)),
        Case(declared: 7, framing: .length(7), fields: .contentLength(7)),
        Case(declared: -1, framing: .chunked, fields: .chunked),
        Case(framing: .chunked, fields: .chunked),
        // HTTP/1.0 cannot take chunks: the body ends with the connection.
        Case(version: .http1_0, framing: .untilClose, fields: .none, closes: true, connection: "close"),
        Case(version: .http1_0, length: 3, framing: .length(3), fields: .contentLength(3), connection: "keep-alive"),
        // No body bytes: HEAD and 304 still tell the length, 204 and 1xx say nothing.
        Case(head: true, length: 9, framing: .none, fields: .contentLength(9)),
        Case(head: true, framing: .none, fields: .asIs),
        Case(status: 304, length: 9, framing: .none, fields: .contentLength(9)),
        Case(status: 204, length: 9, framing: .none, fields: .none),
        Case(status: 101, framing: .none, fields: .none),
        Case(length: 2, closing: true, framing: .length(2), fields: .contentLength(2), closes: true, connection: "close"),
    ])
    func plan(_ example: Case) {
        var declaredRead = false
        let plan = ResponsePlan(
            status: example.status,
            isHeadRequest: example.head,
            version: example.version,
            bodyLength: example.length,
            declaredLength: {
                declaredRead = true
                return example.declared
            }(),
            closing: example.closing
        )
        #expect(plan.framing == example.framing)
        #expect(plan.framingFields == example.fields)
        #expect(plan.closes == example.closes)
        #expect(plan.connectionField(version: example.version) == example.connection)
        // The response's own Content-Length is read only when nothing else decides.
        if example.length != nil || example.head || example.status < 200 || example.status == 204 || example.status == 304 {
            #expect(!declaredRead)
        }
    }
}
