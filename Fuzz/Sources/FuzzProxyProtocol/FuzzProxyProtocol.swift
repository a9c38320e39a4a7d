import AioWire
import NIOCore

/// Feeds the input to a PROXY protocol decoder, whole and cut short, and checks that a header
/// it accepts is found again, byte for byte, however the input is cut (a prefix is incomplete,
/// never an error or another header), consumes no more than it was given, and decodes its
/// addresses and TLVs (which fill the header exactly) without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxyProtocol(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let decoder = ProxyProtocolDecoder(maxLength: 512)
    var whole = ByteBuffer(bytes: bytes)
    guard let header = try? decoder.decode(buffer: &whole) else { return 0 }
    let consumed = size - whole.readableBytes
    precondition(consumed > 0 && consumed <= size, "consumed \(consumed) of \(size)")
    for cut in Set([consumed - 1, consumed / 2, 1]) where cut >= 0 && cut < consumed {
        var prefix = ByteBuffer(bytes: bytes[..<cut])
        let partial = Result { try decoder.decode(buffer: &prefix) }
        if case .success(let found) = partial {
            precondition(found == nil, "a header from \(cut) of its \(consumed) bytes")
        } else {
            preconditionFailure("an error after \(cut) of a valid header's \(consumed) bytes")
        }
        precondition(prefix.readableBytes == cut, "an incomplete header consumed bytes")
    }
    _ = header.addresses
    _ = header.clientAddress
    _ = header.alpn
    _ = header.authority
    _ = header.ssl
    if header.version == 2 {
        let tlvBytes = header.tlvs.reduce(0) { $0 + 3 + $1.value.count }
        precondition(tlvBytes <= consumed - 16, "TLVs longer than the header")
    } else {
        precondition(header.tlvs.isEmpty, "TLVs in a version 1 header")
    }
    return 0
}
