// swift-tools-version:6.1
// Hello-world servers for the end-to-end comparison (run.sh): swift-aiohttp and its Swift peers,
// each on the same number of event loops. Peers live here only, so users never build them.
import PackageDescription

let package = Package(
    name: "swift-aiohttp-e2e",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-aiohttp", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
    ],
    targets: [
        // The OpenAPI comparison (openapi-run.sh): one service, its code generated once from
        // openapi/openapi.yaml by Scripts/generate-openapi.sh, on each framework's transport.
        .target(name: "GreetAPI", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]),
        .executableTarget(
            name: "GreetAio",
            dependencies: [
                "GreetAPI",
                .product(name: "AioHTTP", package: "swift-aiohttp"),
                .product(name: "AioOpenAPI", package: "swift-aiohttp"),
            ]
        ),
        .executableTarget(
            name: "GreetHummingbird",
            dependencies: [
                "GreetAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "HelloAio", dependencies: [.product(name: "AioHTTP", package: "swift-aiohttp")]),
        .executableTarget(
            name: "HelloHummingbird",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "HelloVapor", dependencies: [.product(name: "Vapor", package: "vapor")]),
        .executableTarget(
            name: "WSLoad",
            dependencies: [
                .product(name: "AioHTTP", package: "swift-aiohttp"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "ClientLoad",
            dependencies: [
                .product(name: "AioHTTP", package: "swift-aiohttp"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "HelloNIO",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
