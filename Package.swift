// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Keepwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keepwatch", targets: ["keepwatch"]),
        .library(name: "KeepwatchCore", targets: ["KeepwatchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "KeepwatchCore"),
        .executableTarget(
            name: "keepwatch",
            dependencies: [
                "KeepwatchCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "KeepwatchEndToEndTests",
            dependencies: ["keepwatch"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
