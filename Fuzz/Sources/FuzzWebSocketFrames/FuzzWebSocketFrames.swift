import AioWebSocket
import FuzzSupport
import NIOCore

/// Feeds the input (after a first byte choosing the side and whether permessage-deflate is on)
/// to the frame decoder and the state machine, whole and split in two: both runs must deliver the same and fail alike, fail only with the codes the codec
/// uses, deliver only valid UTF-8 as text and nothing over the size limit, and every frame
/// decoded must encode and decode back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let role: WSFrameDecoder.Role = data[0] & 1 == 0 ? .server : .client
    let deflate = data[0] & 2 != 0
    let bytes = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let whole = run(bytes, cut: bytes.count, role: role, deflate: deflate)
    let split = run(bytes, cut: cutPoint(bytes), role: role, deflate: deflate)
    // Which code a doomed message fails with may differ (text checked while it arrives can fail
    // as 1007 before its end shows 1009), whether and after what it fails may not.
    precondition(whole.events == split.events && (whole.failure == nil) == (split.failure == nil), "split changed the outcome")
    return 0
}

let limit = 1024

struct Outcome: Equatable {
    var events: [String] = []
    var failure: UInt16?
}

func run(_ bytes: UnsafeRawBufferPointer, cut: Int, role: WSFrameDecoder.Role, deflate: Bool) -> Outcome {
    var decoder = WSFrameDecoder(role: role, maxPayloadLength: limit, allowsRSV1: deflate)
    var machine = deflate
        ? try! WebSocketStateMachine(maxMessageSize: limit, role: role, deflate: PerMessageDeflate())
        : WebSocketStateMachine(maxMessageSize: limit)
    var outcome = Outcome()
    for piece in [bytes[..<cut], bytes[cut...]] {
        decoder.feed(ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: piece)))
        while outcome.failure == nil {
            let action: WebSocketStateMachine.Action
            do {
                if let frame = try decoder.next() {
                    check(frame, role: role)
                    action = machine.receive(frame)
                } else {
                    // Partial checks may fail earlier in one split than the other: only a
                    // failure counts, and the whole run reaches the same one at the frame's end.
                    guard let (opcode, rsv1, received) = decoder.partialFrame else { break }
                    var probe = machine
                    if case .fail = probe.receivePartial(opcode, compressed: rsv1, received: received) {
                        action = machine.receivePartial(opcode, compressed: rsv1, received: received)
                    } else {
                        break
                    }
                }
            } catch let error as WebSocketError {
                action = machine.fail(error)
            } catch {
                preconditionFailure("an error outside WebSocketError: \(error)")
            }
            record(action, into: &outcome)
        }
    }
    return outcome
}

func record(_ action: WebSocketStateMachine.Action, into outcome: inout Outcome) {
    switch action {
    case .none:
        break
    case .deliver(let message), .reply(_, let message):
        precondition(message.data.readableBytes <= limit, "a message over the limit")
        if message.type == .text {
            precondition(String(validating: message.data.readableBytesView, as: UTF8.self) != nil, "invalid UTF-8 delivered")
        }
        outcome.events.append("\(message.type):\(message.data.readableBytes)")
    case .closed(_, let message):
        outcome.events.append("close:\(message.closeCode?.rawValue ?? 0)")
    case .fail(_, let error):
        precondition([1002, 1007, 1009].contains(error.closeCode.rawValue), "unexpected close code \(error.closeCode)")
        outcome.failure = error.closeCode.rawValue
    }
}

/// Encoding a decoded frame and decoding it again gives it back.
func check(_ frame: WSFrame, role: WSFrameDecoder.Role) {
    var decoder = WSFrameDecoder(role: role, maxPayloadLength: limit, allowsRSV1: true)
    decoder.feed(WSFrameEncoder.encode(frame, maskingKey: role == .server ? WSMaskingKey(1, 2, 3, 4) : nil))
    guard let again = try? decoder.next() else { preconditionFailure("a decoded frame did not decode again") }
    precondition(again.opcode == frame.opcode && again.fin == frame.fin && again.payload == frame.payload, "round trip changed the frame")
}
