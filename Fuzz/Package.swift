// swift-tools-version:6.1
// libFuzzer targets for the parsers of swift-aiohttp. Build and run as Fuzz/README.md says.
import PackageDescription

let package = Package(
    name: "swift-aiohttp-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-aiohttp", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "AioWire", package: "swift-aiohttp"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(name: "FuzzRequestParser", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzResponseParser", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzChunkedDecoder", dependencies: ["FuzzSupport"]),
        .executableTarget(
            name: "FuzzMultipartReader",
            dependencies: [
                .product(name: "AioMultipart", package: "swift-aiohttp"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "FuzzContentDisposition",
            dependencies: [.product(name: "AioMultipart", package: "swift-aiohttp")]
        ),
        .executableTarget(
            name: "FuzzProxyProtocol",
            dependencies: [
                .product(name: "AioWire", package: "swift-aiohttp"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "FuzzCookieParser",
            dependencies: [.product(name: "AioClient", package: "swift-aiohttp")]
        ),
        .executableTarget(
            name: "FuzzDigestChallenge",
            dependencies: [.product(name: "AioClient", package: "swift-aiohttp")]
        ),
        .executableTarget(
            name: "FuzzWebSocketFrames",
            dependencies: [
                "FuzzSupport",
                .product(name: "AioWebSocket", package: "swift-aiohttp"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
