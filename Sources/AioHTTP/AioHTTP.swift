@_exported import AioStreams
@_exported import AioWire
@_exported import AioMultipart
@_exported import AioWebSocket
@_exported import AioClient
@_exported import AioServer
@_exported import AioWeb
@_exported import AioGateway
