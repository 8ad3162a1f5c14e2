import Benchmark
import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchStore
import Logging
import Subprocess
import SystemPackage

let tree = "/tmp/keepwatch-bench/tree-1g"
let output = "/tmp/keepwatch-bench/out"

func shell(_ command: String) async throws {
    let result = try await Subprocess.run(.path("/bin/sh"), arguments: ["-c", command], output: .discarded, error: .discarded)
    guard result.terminationStatus.isSuccess else { throw BenchmarkFailure(description: "failed: \(command)") }
}

struct BenchmarkFailure: Error, CustomStringConvertible { let description: String }

func makeTree() async throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("make-tree.sh").path
    try await shell("bash '\(script)' '\(tree)'")
}

/// Resident memory of this process in bytes (Linux /proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let benchmarks: @Sendable () -> Void = {
    let archiveConfiguration = Benchmark.Configuration(
        metrics: [.wallClock], warmupIterations: 0, maxDuration: .seconds(240), maxIterations: 3,
        setup: { try await makeTree() })

    Benchmark("fs backup 1 GiB: keepwatch tar|zstd with sha256", configuration: archiveConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            let destination = try FileDescriptor.open(FilePath(output), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
            let log = try FileDescriptor.open("/dev/null", .writeOnly)
            let archive = StreamedArchive(producer: .tar(["--create", "--file=-", "--directory=\(tree)", "."]),
                                          compressor: "zstd", compressorArguments: ["-q", "-c"])
            blackHole(try await archive.write(to: destination, path: output, log: log, control: RunControl(), progress: ProgressCounter()))
            try destination.close()
            try log.close()
        }
    }

    Benchmark("fs backup 1 GiB: raw tar -c | zstd pipeline", configuration: archiveConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            try await shell("tar -c -C '\(tree)' . | zstd -q -c > '\(output)'")
        }
    }

    Benchmark("fs backup 1 GiB: tar -czf (mgob/Freezer-style gzip)", configuration: archiveConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            try await shell("tar -czf '\(output)' -C '\(tree)' .")
        }
    }

    Benchmark("scheduler: 100,000 jobs loaded, 1,000 fire in one second",
              configuration: .init(metrics: [.wallClock, .custom("resident MB", polarity: .prefersSmaller, useScalingFactor: false),
                                             .custom("job memory MB", polarity: .prefersSmaller, useScalingFactor: false),
                                             .custom("fire lag p50 ms", polarity: .prefersSmaller, useScalingFactor: false),
                                             .custom("fire lag p99 ms", polarity: .prefersSmaller, useScalingFactor: false),
                                             .custom("fire lag max ms", polarity: .prefersSmaller, useScalingFactor: false)],
                                   warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        let directory = "/tmp/keepwatch-bench/scheduler-\(UUID().uuidString)"
        let data = DataDirectory(path: directory)
        try data.prepare()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await SQLiteStore.open(path: data.databaseFile.path)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let service = JobService(store: store, data: data, logger: logger)
        try await service.start()
        let before = residentBytes()
        for index in 0..<99_000 {
            _ = try await service.create([
                "job_id": .string("daily-\(index)"),
                "job_actions": [["freezer_action": ["action": "exec", "command": ["true"]]]],
                "job_schedule": ["schedule_cron": .string("\(index % 60) 3 * * *")],
            ])
        }
        let fireAt = Int64(Date().timeIntervalSince1970) + 6
        for index in 0..<1_000 {
            _ = try await service.create([
                "job_id": .string("burst-\(index)"),
                "job_actions": [["freezer_action": ["action": "exec", "command": ["true"]]]],
                "job_schedule": ["schedule_date": .string(ISO8601.format(Instant(secondsSince1970: fireAt), in: .utc))],
            ])
        }
        let loaded = residentBytes()
        while Int64(Date().timeIntervalSince1970) < fireAt + 3 { try await Task.sleep(nanoseconds: 200_000_000) }
        let lags = await service.fireLags
        benchmark.measurement(.custom("resident MB", polarity: .prefersSmaller, useScalingFactor: false), loaded >> 20)
        benchmark.measurement(.custom("job memory MB", polarity: .prefersSmaller, useScalingFactor: false), (loaded - before) >> 20)
        benchmark.measurement(.custom("fire lag p50 ms", polarity: .prefersSmaller, useScalingFactor: false), Int(lags.quantile(0.5) ?? -1))
        benchmark.measurement(.custom("fire lag p99 ms", polarity: .prefersSmaller, useScalingFactor: false), Int(lags.quantile(0.99) ?? -1))
        benchmark.measurement(.custom("fire lag max ms", polarity: .prefersSmaller, useScalingFactor: false), Int(lags.quantile(1) ?? -1))
        await service.shutdown()
        try await store.close()
    }
}
