/// Finds CRLF-terminated lines in bytes that arrive in pieces.
///
/// It remembers how far the current partial line has been searched, so feeding a line one byte
/// at a time costs linear time, and it refuses a line as soon as it grows past its limit.
struct LineScanner: Sendable {
    /// Bytes of the current partial line already searched for LF.
    private var scanned = 0

    /// Whether a partial line has been seen since the last complete one.
    var hasPartialLine: Bool { self.scanned > 0 }

    /// The range of the next complete line in `bytes` starting at `start`, without its CRLF, or
    /// nil when the line is not complete yet.
    ///
    /// - Parameters:
    ///   - base: the stream offset of `bytes[0]`, for error offsets.
    ///   - limit: the longest line allowed, CRLF excluded.
    ///   - part: what the line is, for ``LineTooLong``.
    @inline(__always)
    mutating func nextLine(
        in bytes: UnsafeRawBufferPointer,
        from start: Int,
        base: Int,
        limit: Int,
        part: LineTooLong.Part
    ) throws -> Range<Int>? {
        guard let lf = bytes.firstIndex(of: HTTPByte.lf, in: (start + self.scanned)..<bytes.count) else {
            try Self.checkLength(bytes, from: start, to: bytes.count, base: base, limit: limit, part: part)
            self.scanned = bytes.count - start
            return nil
        }
        // The same check as for a partial line, so the error does not depend on how bytes arrive.
        try Self.checkLength(bytes, from: start, to: lf, base: base, limit: limit, part: part)
        self.scanned = 0
        guard lf > start, bytes[lf - 1] == HTTPByte.cr else {
            throw BadHTTPMessage("Line ends with a bare LF; CRLF is required", offset: base + lf)
        }
        return start..<(lf - 1)
    }

    /// Refuses the line bytes `start..<end` (LF not included) when they hold more than `limit`
    /// bytes besides a final CR, which may still be followed by its LF.
    @inline(__always)
    private static func checkLength(
        _ bytes: UnsafeRawBufferPointer,
        from start: Int,
        to end: Int,
        base: Int,
        limit: Int,
        part: LineTooLong.Part
    ) throws {
        let length = end - start
        if length > limit + 1 || (length == limit + 1 && bytes[end - 1] != HTTPByte.cr) {
            throw LineTooLong(part, limit: limit, offset: base + start + limit)
        }
    }
}
