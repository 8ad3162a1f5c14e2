import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchMonitor
import Logging

/// N promise files that fire every minute (`frequency = * * * * *`), run by the node's promise runner for a few
/// minutes. Each promise prints the time it started as its message, so its status file says how long after the
/// minute it ran. A run that drifts would start later each minute, or miss one.
enum PromiseDrift {
    static func run(promises count: Int, minutes: Int) async throws {
        let root = try temporaryDirectory("promises")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = DataDirectory(path: root.path)
        let directory = root.appendingPathComponent("promises")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for index in 0..<count {
            let script = directory.appendingPathComponent(String(format: "p%04d.sh", index))
            try "#!/bin/sh\necho \"{\\\"message\\\": \\\"$(date +%s.%N)\\\"}\"\n".write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            try "[service]\nfrequency = * * * * *\n".write(to: directory.appendingPathComponent(String(format: "p%04d.cfg", index)),
                                                      atomically: true, encoding: .utf8)
        }
        var logger = Logger(label: "keepwatch")
        logger.logLevel = .warning
        let runner = PromiseRunner(data: data, settings: .init(directory: directory.path, title: "bench", base: "http://127.0.0.1"), logger: logger)
        try await runner.start()
        let before = residentBytes()
        print("| minute | promises run | first start after the minute | p50 | p99 | last start | node CPU in the minute |")
        print("|---|---|---|---|---|---|---|")
        // Wait for the next minute, then read each minute's runs 50 s into the next one.
        let first = (Date().timeIntervalSince1970 / 60).rounded(.up) * 60
        for minute in 0..<minutes {
            let boundary = first + Double(minute) * 60
            let cpuBefore = cpuSeconds()
            while Date().timeIntervalSince1970 < boundary + 50 { try await Task.sleep(nanoseconds: 500_000_000) }
            var delays: [Double] = []
            for index in 0..<count {
                let status = root.appendingPathComponent("public/\(String(format: "p%04d", index)).status.json")
                guard let bytes = try? Data(contentsOf: status),
                      let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any],
                      let message = (object["result"] as? [String: Any])?["message"] as? String,
                      let started = Double(message), started >= boundary, started < boundary + 60 else { continue }
                delays.append(started - boundary)
            }
            print(String(format: "| %d | %d of %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.1f s |", minute + 1, delays.count, count,
                         (delays.min() ?? .nan) * 1000, percentile(delays, 0.5) * 1000, percentile(delays, 0.99) * 1000,
                         (delays.max() ?? .nan) * 1000, cpuSeconds() - cpuBefore))
        }
        print(String(format: "\nrunner memory: %.1f MiB", Double(residentBytes() - before) / 1_048_576))
        await runner.stop()
    }

    /// User + system CPU of this process and its finished children.
    static func cpuSeconds() -> Double {
        var own = rusage(), children = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &own)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(own.ru_utime) + seconds(own.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime)
    }
}
