import NIOCore

extension WSFrame {
    /// A close frame with `code` and `reason`, the reason cut to the 123 bytes a control frame
    /// leaves it, at a character boundary; no code gives an empty close frame.
    public static func close(code: WSCloseCode?, reason: String = "") -> WSFrame {
        var payload = ByteBuffer()
        if let code {
            payload.writeInteger(code.rawValue)
            var length = 0
            for scalar in reason.unicodeScalars {
                let size = UTF8.width(scalar)
                guard length + size <= 123 else { break }
                length += size
            }
            payload.writeBytes(reason.utf8.prefix(length))
        }
        return WSFrame(opcode: .close, payload: payload)
    }

    /// The code and reason of a close frame's payload; no code for an empty payload.
    ///
    /// - Throws: ``WebSocketError``: 1002 for a one-byte payload or a code a peer may not send,
    ///   1007 for a reason that is not UTF-8.
    public func closeStatus() throws -> (code: WSCloseCode?, reason: String) {
        var payload = self.payload
        guard payload.readableBytes > 0 else { return (nil, "") }
        guard let raw = payload.readInteger(as: UInt16.self) else {
            throw WebSocketError.protocolError("Close frame with a one-byte payload")
        }
        let code = WSCloseCode(rawValue: raw)
        guard code.isAllowedOnWire else { throw WebSocketError.protocolError("Close code \(raw) is not allowed") }
        var validator = UTF8Validator()
        let valid = payload.withUnsafeReadableBytes { validator.validate($0) } && validator.isComplete
        guard valid else { throw WebSocketError(.invalidText, "Close reason is not valid UTF-8") }
        return (code, String(buffer: payload))
    }
}
