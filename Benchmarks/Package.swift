// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The Keepwatch package is the folder above; SwiftPM names a local package after its folder,
// so read that name instead of assuming the checkout is called "Keepwatch".
let keepwatchFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "KeepwatchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .executableTarget(
            name: "ScheduleBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KeepwatchCore", package: keepwatchFolder),
            ],
            path: "Benchmarks/ScheduleBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KeepwatchCore", package: keepwatchFolder),
                .product(name: "KeepwatchStore", package: keepwatchFolder),
                .product(name: "KeepwatchEngine", package: keepwatchFolder),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "BackupDepthBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KeepwatchCore", package: keepwatchFolder),
                .product(name: "KeepwatchEngine", package: keepwatchFolder),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Benchmarks/BackupDepthBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "HubBenchmarks",
            dependencies: [
                .product(name: "KeepwatchCore", package: keepwatchFolder),
                .product(name: "KeepwatchStore", package: keepwatchFolder),
                .product(name: "KeepwatchEngine", package: keepwatchFolder),
                .product(name: "KeepwatchHub", package: keepwatchFolder),
                .product(name: "KeepwatchHTTP", package: keepwatchFolder),
                .product(name: "KeepwatchMonitor", package: keepwatchFolder),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/HubBenchmarks"
        ),
        .executableTarget(
            name: "MonitorBenchmarks",
            dependencies: [
                .product(name: "KeepwatchCore", package: keepwatchFolder),
                .product(name: "KeepwatchStore", package: keepwatchFolder),
                .product(name: "KeepwatchEngine", package: keepwatchFolder),
                .product(name: "KeepwatchMonitor", package: keepwatchFolder),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/MonitorBenchmarks"
        ),
    ],
    swiftLanguageModes: [.v6]
)
