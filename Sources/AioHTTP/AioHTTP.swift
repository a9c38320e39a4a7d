@_exported import AioStreams
@_exported import AioWire
@_exported import AioMultipart
@_exported import AioWebSocket
@_exported import AioClient
@_exported import AioServer
@_exported import AioWeb
@_exported import AioGateway
// The currency types every handler and request names, so that `import AioHTTP` is enough for
// them (as in Hummingbird); documented in their own packages.
@_exported @_documentation(visibility: internal) import struct HTTPTypes.HTTPField
@_exported @_documentation(visibility: internal) import struct HTTPTypes.HTTPFields
@_exported @_documentation(visibility: internal) import struct HTTPTypes.HTTPRequest
@_exported @_documentation(visibility: internal) import struct HTTPTypes.HTTPResponse
@_exported @_documentation(visibility: internal) import struct NIOCore.ByteBuffer
@_exported @_documentation(visibility: internal) import struct NIOCore.ByteBufferAllocator
