import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP cost alone: `sources` × 16 POSTs of a refresh's mix against the fake controllers, 64 sources at a time,
/// with AsyncHTTPClient's async API (as the hub uses it) and with its future-based API.
enum HTTPFloor {
    static func run(port: Int, sources: Int, cpu: () -> Double) async throws {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3)))
        configuration.decompression = .disabled
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let modules = ["info", "clusters", "jobs"] + Array(repeating: "alarm", count: 10) + ["jobs", "backup", "auth"]
        for style in ["async", "future", "async", "future"] {
            let (wall0, cpu0) = (DispatchTime.now().uptimeNanoseconds, cpu())
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func launch() {
                    guard next < sources else { return }
                    let index = next
                    next += 1
                    group.addTask {
                        for module in modules {
                            let url = "http://127.0.0.1:\(port)/c\(index)/v2/\(module)"
                            if style == "async" {
                                var request = HTTPClientRequest(url: url)
                                request.method = .POST
                                request.headers.add(name: "Content-Type", value: "application/json")
                                request.body = .bytes(ByteBuffer(string: "{\"operation\":\"x\",\"offset\":0}"))
                                let response = try await client.execute(request, timeout: .seconds(60))
                                _ = try await response.body.collect(upTo: 1 << 25)
                            } else {
                                let request = try HTTPClient.Request(url: url, method: .POST, headers: ["Content-Type": "application/json"],
                                                                     body: .string("{\"operation\":\"x\",\"offset\":0}"))
                                _ = try await client.execute(request: request, deadline: .now() + .seconds(60)).get()
                            }
                        }
                    }
                }
                for _ in 0..<64 { launch() }
                while try await group.next() != nil { launch() }
            }
            let wall = Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e9
            print("HTTP floor, \(style): \(sources * modules.count) requests in \(String(format: "%.2f", wall)) s, CPU \(String(format: "%.2f", cpu() - cpu0)) s")
        }
        try await client.shutdown()
    }
}
