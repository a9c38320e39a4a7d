internal import CAioZlib
import NIOCore

/// The buffers of a zlib stream, for the compressor and the decompressor alike: input lent for
/// the length of a call, output written straight into a `ByteBuffer`.
extension UnsafeMutablePointer where Pointee == z_stream {
    /// Runs `body` with `input`'s readable bytes as zlib's input; zlib holds no pointer into
    /// them afterwards.
    func withInput<Result>(_ input: ByteBuffer, _ body: () throws -> Result) rethrows -> Result {
        try input.withUnsafeReadableBytes { bytes in
            self.pointee.next_in = UnsafeMutablePointer<Bytef>(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
            self.pointee.avail_in = uInt(bytes.count)
            defer {
                self.pointee.next_in = nil
                self.pointee.avail_in = 0
            }
            return try body()
        }
    }

    /// Calls `operation` (`inflate` or `deflate`) with `room` bytes of output space at the end of
    /// `output`: zlib's status, the bytes it wrote, and whether it filled the space (then it may
    /// hold back more).
    func step(into output: inout ByteBuffer, room: Int, _ operation: (Self) -> Int32) -> (status: Int32, written: Int, full: Bool) {
        var status = Z_OK
        var full = false
        let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { out in
            self.pointee.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
            self.pointee.avail_out = uInt(room)
            status = operation(self)
            full = self.pointee.avail_out == 0
            let count = room - Int(self.pointee.avail_out)
            self.pointee.next_out = nil
            self.pointee.avail_out = 0
            return count
        }
        return (status, written, full)
    }
}
