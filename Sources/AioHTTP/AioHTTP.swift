@_exported import AioStreams
@_exported import AioWire
