// swift-tools-version:6.1
// Example apps built on swift-aiohttp, each a target to copy from and a test that starts it and
// talks to it over a socket. A package of its own, so users of swift-aiohttp never build GRDB.
// Run as Examples/README.md says.
import PackageDescription

let package = Package(
    name: "swift-aiohttp-examples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-aiohttp", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // The smallest server.
        .executableTarget(
            name: "Hello",
            dependencies: [.product(name: "AioHTTP", package: "swift-aiohttp")]
        ),
        // A JSON CRUD API over SQLite, with validation, typed errors and its OpenAPI document.
        .executableTarget(
            name: "TodosAPI",
            dependencies: [
                .product(name: "AioHTTP", package: "swift-aiohttp"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("openapi.yaml")]
        ),
        // Multipart uploads streamed to disk, with a progress page.
        .executableTarget(
            name: "Uploads",
            dependencies: [
                .product(name: "AioHTTP", package: "swift-aiohttp"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
            ]
        ),
        // Chat rooms over WebSocket.
        .executableTarget(
            name: "Chat",
            dependencies: [
                .product(name: "AioHTTP", package: "swift-aiohttp"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // A reverse proxy: the server in front, the client behind, bodies streamed both ways.
        .executableTarget(
            name: "Proxy",
            dependencies: [.product(name: "AioHTTP", package: "swift-aiohttp")]
        ),
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "Hello", "TodosAPI", "Uploads", "Chat", "Proxy",
                .product(name: "AioHTTP", package: "swift-aiohttp"),
                .product(name: "AioTesting", package: "swift-aiohttp"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
