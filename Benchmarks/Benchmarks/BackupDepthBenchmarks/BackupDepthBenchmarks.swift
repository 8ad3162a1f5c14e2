import Benchmark
import Foundation
import KeepwatchCore
import KeepwatchEngine
import Subprocess
import SystemPackage

// Issue "Backup depth": an incremental level 1 over the 1 GiB tree with 1% changed against a full backup,
// encrypted against plain archiving, and Keepwatch's restore against `zstd -d | tar -x`, all in one run.

let root = "/tmp/keepwatch-bench/depth"
let tree = "\(root)/tree-1g"
let output = "\(root)/out"

func shell(_ command: String) async throws {
    let result = try await Subprocess.run(.path("/bin/sh"), arguments: ["-c", command], output: .discarded, error: .discarded)
    guard result.terminationStatus.isSuccess else { throw BenchmarkFailure(description: "failed: \(command)") }
}

struct BenchmarkFailure: Error, CustomStringConvertible { let description: String }

/// The 1 GiB tree, its level-0 tar state, then 1% of it (10 MiB) changed: one 7.5 MiB text file rewritten and 300
/// small files appended to. Done once; later runs reuse it.
func prepare() async throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("make-tree.sh").path
    try await shell("mkdir -p '\(root)' && bash '\(script)' '\(tree)'")
    guard !FileManager.default.fileExists(atPath: "\(root)/.changed") else { return }
    try await shell("rm -f '\(root)/level0.snar' && tar -c -C '\(tree)' --listed-incremental='\(root)/level0.snar' . | zstd -q -c > '\(root)/level0.tar.zst'")
    try await shell("sleep 1; head -c 5898240 /dev/urandom | base64 -w 120 > '\(tree)/text/part-1.txt'; "
                    + "for f in $(seq 1 300); do echo changed >> '\(tree)/small/d1/f'$f'.log'; done; touch '\(root)/.changed'")
    try await shell("tar -c -C '\(tree)' . | zstd -q -c > '\(root)/full.tar.zst'")
}

func archive(_ tar: [String], key: ArchiveKey? = nil) async throws {
    let destination = try FileDescriptor.open(FilePath(output), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
    let log = try FileDescriptor.open("/dev/null", .writeOnly)
    defer {
        try? destination.close()
        try? log.close()
    }
    let streamed = StreamedArchive(producer: .tar(tar), compressor: "zstd", compressorArguments: ["-q", "-c"], encryption: key)
    blackHole(try await streamed.write(to: destination, path: output, log: log, control: RunControl(), progress: ProgressCounter()))
}

let key = ArchiveKey.raw(Array(repeating: 42, count: 32))

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock], warmupIterations: 0, maxDuration: .seconds(300), maxIterations: 3,
                                                setup: { try await prepare() })

    Benchmark("full backup, 1 GiB tree", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { try await archive(["--create", "--file=-", "--directory=\(tree)", "."]) }
    }

    Benchmark("incremental level 1, 1 GiB tree with 1% changed", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            try await shell("cp '\(root)/level0.snar' '\(root)/level1.snar'")
            try await archive(["--create", "--file=-", "--listed-incremental=\(root)/level1.snar", "--directory=\(tree)", "."])
        }
    }

    Benchmark("encrypted backup (AES-256-GCM), 1 GiB tree", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { try await archive(["--create", "--file=-", "--directory=\(tree)", "."], key: key) }
    }

    Benchmark("restore 1 GiB: keepwatch (sha256 check, then zstd -d | tar -x)", configuration: configuration) { benchmark in
        let full = "\(root)/full.tar.zst"
        let (size, sha256) = try FileDigest.sha256(ofFile: full)
        let manifest = BackupManifest(backupID: "bench", backupName: "bench", jobID: "bench", runID: "bench", file: full, size: size,
                                      sha256: sha256, compression: "zstd", mode: "fs", source: tree, startedAt: 0, endedAt: 0, tools: [:])
        let encoder = JSONEncoder()
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: full + ".json"))
        let data = DataDirectory(path: "\(root)/data")
        try data.prepare()
        for _ in benchmark.scaledIterations {
            try await shell("rm -rf '\(root)/restored'")
            let request = FileSystemRestore.Request(name: "bench", target: "\(root)/restored")
            blackHole(try await FileSystemRestore.run(request, backups: [manifest], data: data, toolLog: .standardError,
                                                      control: RunControl()) { _ in })
        }
    }

    Benchmark("restore 1 GiB: raw zstd -d | tar -x", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            try await shell("rm -rf '\(root)/restored' && mkdir -p '\(root)/restored' && zstd -d -q -c '\(root)/full.tar.zst' | tar -x -C '\(root)/restored'")
        }
    }
}
