import AioWire
import FuzzSupport
import HTTPTypes
import NIOCore

/// Decodes the input as a chunked body, whole and split in two, checks both agree and stay in
/// bounds, and that re-encoding the data and trailers decodes to the same again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChunkedDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let configuration = HTTPParserConfiguration(maxFieldLineLength: 256, maxHeadLength: 1024, maxChunkLineLength: 256)
    let whole = decode(bytes, cut: bytes.count, configuration)
    let split = decode(bytes, cut: cutPoint(bytes), configuration)
    precondition(whole == split, "split changed the outcome")
    guard whole.complete else { return 0 }
    var wire = ByteBuffer()
    writeChunkedBody(whole.data, trailers: whole.trailers, into: &wire)
    let again = wire.withUnsafeReadableBytes { decode($0, cut: $0.count, .init()) }
    precondition(again.complete && again.data == whole.data && again.trailers == whole.trailers, "re-encoding changed the body")
    return 0
}

struct Decoded: Equatable {
    var data: [UInt8] = []
    var trailers: HTTPFields?
    var complete = false
    var error: String?
}

func decode(_ bytes: UnsafeRawBufferPointer, cut: Int, _ configuration: HTTPParserConfiguration) -> Decoded {
    var decoder = ChunkedDecoder(configuration: configuration)
    var result = Decoded()
    var buffer = ByteBuffer()
    var fed = 0
    do {
        for piece in [bytes[..<cut], bytes[cut...]] {
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: piece))
            fed += piece.count
            while let part = try decoder.decode(buffer: &buffer) {
                switch part {
                case .data(let data):
                    precondition(data.readableBytes > 0, "empty data piece")
                    result.data += data.readableBytesView
                case .end(let trailers):
                    result.trailers = trailers
                    result.complete = true
                }
            }
            precondition(buffer.readableBytes <= fed)
        }
    } catch let error as any HTTPProcessingError {
        result.error = "\(type(of: error))@\(error.offset ?? -1)"
        precondition((error.offset ?? 0) <= bytes.count)
    } catch {
        preconditionFailure("an error outside the HTTPProcessingError family: \(error)")
    }
    return result
}
