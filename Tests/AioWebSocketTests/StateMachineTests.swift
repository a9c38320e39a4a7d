import AioWebSocket
import NIOCore
import Testing

extension WebSocketStateMachine.Action {
    var deliveredText: String? {
        if case .deliver(let message) = self { return message.text }
        return nil
    }

    var failureCode: WSCloseCode? {
        if case .fail(_, let error) = self { return error.closeCode }
        return nil
    }
}

func text(_ string: String, fin: Bool = true, continuation: Bool = false) -> WSFrame {
    WSFrame(fin: fin, opcode: continuation ? .continuation : .text, payload: ByteBuffer(string: string))
}

func closeFrame(_ bytes: [UInt8]) -> WSFrame {
    WSFrame(opcode: .close, payload: ByteBuffer(bytes: bytes))
}

struct StateMachineTests {
    @Test func fragmentsWithAPingBetween() {
        var machine = WebSocketStateMachine(maxMessageSize: 100)
        guard case .none = machine.receive(text("Hel", fin: false)) else { Issue.record("a fragment delivered"); return }
        guard case .reply(let pong, let ping) = machine.receive(WSFrame(opcode: .ping, payload: ByteBuffer(string: "hb"))) else {
            Issue.record("a ping not answered")
            return
        }
        #expect(pong.opcode == .pong && pong.payload == ByteBuffer(string: "hb"))
        #expect(ping.type == .ping)
        #expect(machine.receive(text("lo", continuation: true)).deliveredText == "Hello")
        // A character split between fragments is fine.
        let snowman = Array("☃".utf8)
        _ = machine.receive(WSFrame(fin: false, opcode: .text, payload: ByteBuffer(bytes: snowman[..<1])))
        #expect(machine.receive(WSFrame(opcode: .continuation, payload: ByteBuffer(bytes: snowman[1...]))).deliveredText == "☃")
    }

    @Test func continuationRules() {
        var machine = WebSocketStateMachine(maxMessageSize: 100)
        #expect(machine.receive(text("x", continuation: true)).failureCode == .protocolError)
        #expect(machine.state == .closed)

        machine = WebSocketStateMachine(maxMessageSize: 100)
        _ = machine.receive(text("a", fin: false))
        #expect(machine.receive(text("b")).failureCode == .protocolError)
    }

    @Test func messageSizeCountsEveryFragment() {
        var machine = WebSocketStateMachine(maxMessageSize: 10)
        _ = machine.receive(text("123456", fin: false))
        #expect(machine.receive(text("78901", continuation: true)).failureCode == .messageTooBig)
    }

    @Test func invalidTextFailsBeforeTheMessageEnds() {
        var machine = WebSocketStateMachine(maxMessageSize: 100)
        // The first fragment is already impossible UTF-8: fail without waiting for the rest.
        let action = machine.receive(WSFrame(fin: false, opcode: .text, payload: ByteBuffer(bytes: [0x41, 0xED, 0xA0])))
        #expect(action.failureCode == .invalidText)
        machine = WebSocketStateMachine(maxMessageSize: 100)
        #expect(machine.receive(WSFrame(opcode: .text, payload: ByteBuffer(bytes: [0xE2, 0x82]))).failureCode == .invalidText)
    }

    @Test func peerClosesFirst() {
        var machine = WebSocketStateMachine(maxMessageSize: 100)
        guard case .closed(let reply, let message) = machine.receive(closeFrame([0x03, 0xE8] + Array("bye".utf8))) else {
            Issue.record("close not handled")
            return
        }
        #expect(message.closeCode == .ok && message.extra == "bye")
        #expect(reply.map { Array($0.payload.readableBytesView) } == [0x03, 0xE8])
        #expect(machine.state == .closed && !machine.canSend)
        // An empty close is echoed empty.
        machine = WebSocketStateMachine(maxMessageSize: 100)
        guard case .closed(let emptyReply, let emptyMessage) = machine.receive(closeFrame([])) else { Issue.record("close"); return }
        #expect(emptyMessage.closeCode == nil && emptyReply?.payload.readableBytes == 0)
    }

    @Test func weCloseFirst() {
        var machine = WebSocketStateMachine(maxMessageSize: 100)
        let frame = machine.close(code: .goingAway, reason: "restart")
        #expect(frame.map { Array($0.payload.readableBytesView) } == [0x03, 0xE9] + Array("restart".utf8))
        #expect(machine.close(code: .ok, reason: "") == nil)
        #expect(machine.state == .closing)
        // Messages the peer sent before it saw the close still arrive; pings are not answered any more.
        #expect(machine.receive(text("late")).deliveredText == "late")
        guard case .none = machine.receive(WSFrame(opcode: .ping)) else { Issue.record("ping answered while closing"); return }
        guard case .closed(let reply, _) = machine.receive(closeFrame([0x03, 0xE9])) else { Issue.record("close"); return }
        #expect(reply == nil)
        #expect(machine.state == .closed)
    }

    @Test(arguments: [
        ([0x03], 1002),  // one byte
        ([0x03, 0xED], 1002),  // 1005 may not be sent
        ([0x03, 0xEE], 1002),  // 1006
        ([0x03, 0xF7], 1002),  // 1015
        ([0x00, 0x00], 1002),  // 0
        ([0x0B, 0xB7], 1002),  // 2999
        ([0x13, 0x88], 1002),  // 5000
        ([0x03, 0xE8, 0xFF], 1007),  // reason not UTF-8
    ] as [([UInt8], Int)])
    func badCloseFrames(payload: [UInt8], code: Int) {
        var machine = WebSocketStateMachine(maxMessageSize: 100)
        #expect(machine.receive(closeFrame(payload)).failureCode?.rawValue == UInt16(code))
    }

    @Test(arguments: [1000, 1003, 1007, 1014, 3000, 4999] as [UInt16])
    func allowedCloseCodes(code: UInt16) {
        var machine = WebSocketStateMachine(maxMessageSize: 100)
        guard case .closed(_, let message) = machine.receive(closeFrame([UInt8(code >> 8), UInt8(code & 0xFF)])) else {
            Issue.record("code \(code) refused")
            return
        }
        #expect(message.closeCode?.rawValue == code)
    }

    @Test func closeReasonIsCutAtACharacter() {
        let frame = WSFrame.close(code: .ok, reason: String(repeating: "é", count: 100))
        #expect(frame.payload.readableBytes == 2 + 122)
        #expect(throws: Never.self) { try frame.closeStatus() }
    }
}

struct PartialFrameTests {
    /// A text frame whose payload arrives byte by byte fails at the first impossible byte,
    /// before the frame is complete; valid text split anywhere is delivered whole.
    @Test func invalidTextFailsBeforeTheFrameEnds() throws {
        let valid = Array("κόσμε and more text".utf8)
        let invalid = Array("κόσμε".utf8) + [0xED, 0xA0, 0x80] + Array("edited".utf8)
        for (payload, failsAt) in [(valid, nil), (invalid, Array("κόσμε".utf8).count + 1)] as [([UInt8], Int?)] {
            var decoder = WSFrameDecoder(role: .server, maxPayloadLength: 1000)
            var machine = WebSocketStateMachine(maxMessageSize: 1000)
            let wire = Array(WSFrameEncoder.encode(WSFrame(opcode: .text, payload: ByteBuffer(bytes: payload)), maskingKey: .random()).readableBytesView)
            var failedAt: Int?
            var delivered: String?
            for (index, byte) in wire.enumerated() {
                decoder.feed(ByteBuffer(bytes: [byte]))
                if let frame = try decoder.next() {
                    delivered = machine.receive(frame).deliveredText
                } else if let (opcode, _, received) = decoder.partialFrame, machine.receivePartial(opcode, received: received).failureCode == .invalidText {
                    failedAt = index - 6  // the header of a short masked frame is 6 bytes
                    break
                }
            }
            #expect(failedAt == failsAt)
            #expect(delivered == (failsAt == nil ? String(decoding: payload, as: UTF8.self) : nil))
        }
    }
}
