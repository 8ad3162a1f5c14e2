import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchMonitor
import KeepwatchStore
import Logging

/// N heartbeat checks in one node's service, on a real SQLite store: the memory they take, and how late each goes
/// down after its grace time ends. Every check is pinged once; periods of 2–11 s and a 1 s grace spread the
/// deadlines over ten seconds. "Late" is the time the service says "is down" minus the grace end.
enum HeartbeatLateness {
    static func run(checks count: Int) async throws {
        let root = try temporaryDirectory("heartbeats")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = DataDirectory(path: root.path)
        let downs = DownRecorder()
        let logger = Logger(label: "keepwatch") { _ in DownHandler(recorder: downs) }
        let store = try await SQLiteStore.open(path: data.databaseFile.path, sealer: try NodeKey.loadOrCreate(data), logger: logger)
        let service = HeartbeatService(store: store, settings: HeartbeatSettings(maximumChecks: max(count, 100_000)), logger: logger)
        try await service.start()
        let before = residentBytes()
        var ids: [String] = []
        for index in 0..<count {
            var spec = HeartbeatSpec()
            spec.name = "check-\(index)"
            spec.tags = "bench tier\(index % 10)"
            spec.timeout = Int64(2 + index % 10)
            spec.grace = 1
            ids.append(try await service.create(spec).view.check.uuid)
        }
        let made = residentBytes()
        var deadlines: [String: Double] = [:]
        let pingStart = Date()
        for id in ids {
            _ = await service.ping(HeartbeatPingRequest(target: .uuid(id), kind: .success, exitStatus: nil, rid: nil, method: "POST",
                                                        scheme: "http", remoteAddress: "127.0.0.1", userAgent: "bench", body: Array("ok".utf8)))
        }
        let pingSeconds = Date().timeIntervalSince(pingStart)
        for view in await service.views() {
            guard let last = view.check.lastPing else { continue }
            deadlines[view.check.uuid] = Double(last + (view.check.timeout + view.check.grace) * 1_000_000) / 1e6
        }
        let pinged = residentBytes()
        let latest = deadlines.values.max() ?? 0
        while Date().timeIntervalSince1970 < latest + 2 { try await Task.sleep(nanoseconds: 200_000_000) }
        let seen = downs.taken()
        let late = seen.compactMap { uuid, at in deadlines[uuid].map { at - $0 } }
        print("| checks | memory after creating | after one ping each | pings, in-process (one at a time) | went down | late p50 | late p99 | late max |")
        print("|---|---|---|---|---|---|---|---|")
        print(String(format: "| %d | %.1f MiB | %.1f MiB | %.0f /s | %d of %d | %.0f ms | %.0f ms | %.0f ms |", count,
                     Double(made - before) / 1_048_576, Double(pinged - before) / 1_048_576, Double(count) / pingSeconds,
                     late.count, count, percentile(late, 0.5) * 1000, percentile(late, 0.99) * 1000, (late.max() ?? .nan) * 1000))
        await service.stop()
        try await store.close()
    }
}

/// When each check was said to be down (wall clock, seconds).
final class DownRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var downs: [String: Double] = [:]

    func record(_ uuid: String) {
        let now = Date().timeIntervalSince1970
        lock.withLock { if downs[uuid] == nil { downs[uuid] = now } }
    }

    func taken() -> [String: Double] { lock.withLock { downs } }
}

/// Hears the service's "heartbeat check … is down" warnings; drops everything else.
struct DownHandler: LogHandler {
    let recorder: DownRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        guard message.description.hasSuffix(" is down"), case .string(let uuid)? = metadata?["uuid"] else { return }
        recorder.record(uuid)
    }
}
