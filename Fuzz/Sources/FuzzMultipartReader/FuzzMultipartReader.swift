import AioMultipart
import Dispatch
import HTTPTypes
import NIOCore

/// Reads the input as a multipart body, whole and cut in three, decoding every part (base64,
/// quoted-printable, gzip, deflate), and checks that the cuts do not change the outcome: the
/// same parts with the same bytes, or the same error. Limits are small so the fuzzer reaches
/// them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipartReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = readSynchronously(bytes, cuts: [])
    let cut = readSynchronously(bytes, cuts: [size / 3, size / 3 + max(1, size / 7)])
    precondition(whole == cut, "cuts changed the outcome: \(whole) vs \(cut)")
    return 0
}

/// Parts as "name|filename|decoded bytes", or the error that ended the read.
struct Outcome: Equatable {
    var parts: [String] = []
    var error: String?
}

struct Pieces: AsyncSequence, Sendable {
    let pieces: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: IndexingIterator<[ByteBuffer]>
        mutating func next() async throws -> ByteBuffer? { self.iterator.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: self.pieces.makeIterator()) }
}

final class Box: @unchecked Sendable {
    var outcome = Outcome()
}

func readSynchronously(_ bytes: [UInt8], cuts: [Int]) -> Outcome {
    var pieces: [ByteBuffer] = []
    var start = 0
    for cut in cuts + [bytes.count] where cut > start && cut <= bytes.count {
        pieces.append(ByteBuffer(bytes: bytes[start..<cut]))
        start = cut
    }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.outcome = await read(Pieces(pieces: pieces))
        done.signal()
    }
    done.wait()
    return box.outcome
}

func read(_ body: Pieces) async -> Outcome {
    var outcome = Outcome()
    let configuration = MultipartConfiguration(
        maxParts: 20,
        partHeaders: .init(maxFieldLineLength: 200, maxHeadLength: 400, maxFieldCount: 8),
        maxFieldSize: 4096,
        maxDecompressedSize: 65536,
        maxLineLength: 256
    )
    do {
        let reader = try MultipartReader(headers: [.contentType: "multipart/form-data; boundary=b"], body: body, configuration: configuration)
        try await collect(reader, into: &outcome.parts)
    } catch let error as MultipartError {
        outcome.error = "\(error.status.code) \(error.message)"
    } catch {
        outcome.error = "\(type(of: error))"
    }
    return outcome
}

func collect(_ reader: MultipartReader, into parts: inout [String]) async throws {
    while let next = try await reader.next() {
        switch next {
        case .multipart(let nested):
            parts.append("nested")
            try await collect(nested, into: &parts)
        case .part(let part):
            var decoded: [UInt8] = []
            for try await chunk in part { decoded += chunk.readableBytesView }
            parts.append("\(part.name ?? "-")|\(part.filename ?? "-")|\(decoded)")
        }
    }
}
