// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Keepwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keepwatch", targets: ["keepwatch"]),
        .library(name: "KeepwatchCore", targets: ["KeepwatchCore"]),
        .library(name: "KeepwatchStore", targets: ["KeepwatchStore"]),
        .library(name: "KeepwatchEngine", targets: ["KeepwatchEngine"]),
        .library(name: "KeepwatchHub", targets: ["KeepwatchHub"]),
        .library(name: "KeepwatchMonitor", targets: ["KeepwatchMonitor"]),
        .library(name: "KeepwatchHTTP", targets: ["KeepwatchHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .target(name: "KeepwatchCore"),
        // zlib (Debian's zlib1g-dev), for gzip-compressed pages.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "KeepwatchStore",
            dependencies: [
                "KeepwatchCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "KeepwatchEngine",
            dependencies: [
                "KeepwatchCore", "KeepwatchStore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "KeepwatchHub",
            dependencies: [
                "KeepwatchCore", "KeepwatchStore", "KeepwatchEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "KeepwatchMonitor",
            dependencies: [
                "KeepwatchCore", "KeepwatchStore", "KeepwatchEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "KeepwatchHTTP",
            dependencies: [
                "KeepwatchCore", "KeepwatchStore", "KeepwatchEngine", "KeepwatchHub", "KeepwatchMonitor", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .executableTarget(
            name: "keepwatch",
            dependencies: [
                "KeepwatchCore", "KeepwatchStore", "KeepwatchEngine", "KeepwatchHub", "KeepwatchMonitor", "KeepwatchHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(
            name: "KeepwatchCoreTests",
            dependencies: [
                "KeepwatchCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "KeepwatchStoreTests",
            dependencies: ["KeepwatchCore", "KeepwatchStore"]
        ),
        .testTarget(
            name: "KeepwatchEngineTests",
            dependencies: ["KeepwatchCore", "KeepwatchStore", "KeepwatchEngine", .product(name: "SystemPackage", package: "swift-system"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "KeepwatchHubTests",
            dependencies: ["KeepwatchCore", "KeepwatchHub"]
        ),
        .testTarget(
            name: "KeepwatchMonitorTests",
            dependencies: ["KeepwatchCore", "KeepwatchStore", "KeepwatchMonitor"]
        ),
        .testTarget(
            name: "KeepwatchHTTPTests",
            dependencies: ["KeepwatchCore", "KeepwatchHTTP", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "KeepwatchEndToEndTests",
            dependencies: [
                "keepwatch",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
