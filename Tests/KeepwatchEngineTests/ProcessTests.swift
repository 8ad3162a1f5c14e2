import Foundation
@testable import KeepwatchEngine
import SystemPackage
import Testing

@Suite struct ProcessTests {
    @Test func outputGoesToTheLogAndExitStatusIsReported() async throws {
        let directory = try TemporaryDirectory()
        let log = try FileDescriptor.open(FilePath(directory.file("run.log")), .writeOnly, options: [.create, .append],
                                          permissions: [.ownerReadWrite])
        defer { try? log.close() }
        let control = RunControl()
        let ok = try await ProcessLauncher.run("sh", ["-c", "echo out; echo err >&2"], output: log, error: log, control: control)
        #expect(ok == .exited(0))
        let failed = try await ProcessLauncher.run("sh", ["-c", "exit 3"], output: log, error: log, control: control)
        #expect(failed == .exited(3))
        #expect(try String(contentsOfFile: directory.file("run.log"), encoding: .utf8) == "out\nerr\n")
        await #expect(throws: LaunchError.self) {
            try await ProcessLauncher.run("no-such-tool-kw", [], output: log, error: log, control: control)
        }
    }

    @Test func stopKillsTheWholeProcessTreeQuickly() async throws {
        let control = RunControl(gracePeriod: 0.5)
        let log = try FileDescriptor.open("/dev/null", .writeOnly)
        defer { try? log.close() }
        let started = Date()
        async let ended = ProcessLauncher.run("sh", ["-c", "sleep 604 & sleep 604; wait"], output: log, error: log, control: control)
        try await Task.sleep(nanoseconds: 300_000_000)
        control.stop(.aborted)
        let termination = try await ended
        #expect(termination != .exited(0))
        #expect(Date().timeIntervalSince(started) < 60, "the 604 s sleep was killed, not waited for")
        try await Task.sleep(nanoseconds: 700_000_000)
        #expect(try shell("pgrep -f 'sleep [6]04' || true").isEmpty)
    }

    @Test func archiveStreamsThroughZstdWithItsHash() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("source/a.txt", "alpha\n")
        try directory.write("source/sub/b.txt", String(repeating: "beta ", count: 10_000))
        let output = try FileDescriptor.open(FilePath(directory.file("out.tar.zst")), .writeOnly, options: [.create, .truncate],
                                             permissions: [.ownerReadWrite])
        let log = try FileDescriptor.open(FilePath(directory.file("out.log")), .writeOnly, options: [.create, .append],
                                          permissions: [.ownerReadWrite])
        let archive = StreamedArchive(producer: .tar(["--create", "--file=-", "--directory=\(directory.file("source"))", "."]),
                                      compressor: "zstd", compressorArguments: ["-q", "-c"])
        let progress = ProgressCounter()
        let result = try await archive.write(to: output, path: directory.file("out.tar.zst"), log: log, control: RunControl(), progress: progress)
        try output.close()
        try log.close()
        #expect(result.size > 0)
        #expect(progress.value == result.size)
        let sha = try shell("sha256sum \(directory.file("out.tar.zst")) | cut -d' ' -f1").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(sha == result.sha256)
        let listing = try shell("zstd -dc \(directory.file("out.tar.zst")) | tar -t | sort")
        #expect(listing.contains("./a.txt") && listing.contains("./sub/b.txt"))
    }

    @Test func archiveOfAMissingSourceFailsClearly() async throws {
        let directory = try TemporaryDirectory()
        let output = try FileDescriptor.open(FilePath(directory.file("out.tar.zst")), .writeOnly, options: [.create], permissions: [.ownerReadWrite])
        let log = try FileDescriptor.open(FilePath(directory.file("out.log")), .writeOnly, options: [.create], permissions: [.ownerReadWrite])
        defer { try? output.close(); try? log.close() }
        let archive = StreamedArchive(producer: .tar(["--create", "--file=-", "--directory=/nonexistent-kw", "."]),
                                      compressor: "zstd", compressorArguments: ["-q", "-c"])
        await #expect(throws: LaunchError.self) {
            try await archive.write(to: output, path: directory.file("out.tar.zst"), log: log, control: RunControl(), progress: ProgressCounter())
        }
    }
}
