import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Subprocess
import Synchronization
import SystemPackage

/// `<producer> | <compressor>` into a file (the producer is `tar --create`, `pg_dump`, `mariadb-dump` …), with the
/// compressed bytes hashed (SHA-256) and counted as they land. The producer's output reaches the compressor through a
/// kernel pipe and the compressor writes the file itself,
/// so no archive byte passes through Swift on its way to disk; the hash follows the growing file from the page
/// cache on the other core, and nothing is held in memory beyond one read buffer.
public struct StreamedArchive: Sendable {
    public struct Result: Sendable {
        public var size: Int64
        public var sha256: String
    }

    /// A child process in a pipeline, with the exit statuses that still mean success.
    public struct Stage: Sendable {
        public var tool: String
        public var arguments: [String]
        public var environment: [String: String]
        public var allowedExitCodes: Set<Int32>

        public init(tool: String, arguments: [String], environment: [String: String] = [:], allowedExitCodes: Set<Int32> = [0]) {
            self.tool = tool
            self.arguments = arguments
            self.environment = environment
            self.allowedExitCodes = allowedExitCodes
        }

        /// GNU tar exits 1 when a file changed while it was read; the archive is still complete.
        public static func tar(_ arguments: [String]) -> Stage { Stage(tool: "tar", arguments: arguments, allowedExitCodes: [0, 1]) }
    }

    public var producer: Stage
    public var compressor: String
    public var compressorArguments: [String]
    /// When set, the compressor writes into a pipe and Swift seals its output (`ArchiveCipher`) into the file.
    public var encryption: ArchiveKey?

    public init(producer: Stage, compressor: String, compressorArguments: [String], encryption: ArchiveKey? = nil) {
        self.producer = producer
        self.compressor = compressor
        self.compressorArguments = compressorArguments
        self.encryption = encryption
    }

    /// Writes the archive into `destination` (open for writing, at `path`); tool messages go to `log`.
    /// `progress` is raised as the file grows.
    public func write(to destination: FileDescriptor, path: String, log: FileDescriptor, control: RunControl,
                      progress: ProgressCounter) async throws -> Result {
        let tar = try ProcessLauncher.resolve(producer.tool)
        let compress = try ProcessLauncher.resolve(compressor)
        let pipe = try FileDescriptor.pipe()
        let readEnd = ClosableDescriptor(pipe.readEnd)
        let writeEnd = ClosableDescriptor(pipe.writeEnd)
        defer {
            readEnd.close()
            writeEnd.close()
        }
        let sealed = try encryption.map { _ in try FileDescriptor.pipe() }
        // A 1 MiB pipe lets the compressor hand over a whole record at a time instead of 64 KiB slices.
        if let sealed { _ = fcntl(sealed.writeEnd.rawValue, 1031 /* F_SETPIPE_SZ */, Int32(1 << 20)) }
        let sealedRead = sealed.map { ClosableDescriptor($0.readEnd) }
        let sealedWrite = sealed.map { ClosableDescriptor($0.writeEnd) }
        defer {
            sealedRead?.close()
            sealedWrite?.close()
        }
        let compressorOutput = sealedWrite?.descriptor ?? destination
        let options = ProcessLauncher.options()
        let producer = self.producer
        let compressorArguments = self.compressorArguments
        async let tarStatus = Subprocess.run(
            .path(tar), arguments: Arguments(producer.arguments),
            environment: .inherit.updating(ProcessLauncher.environmentUpdates(producer.environment)), platformOptions: options, input: .none,
            output: .fileDescriptor(writeEnd.descriptor, closeAfterSpawningProcess: false),
            error: .fileDescriptor(log, closeAfterSpawningProcess: false)
        ) { execution in
            writeEnd.close()
            control.register(execution.processIdentifier.value)
            return execution.processIdentifier.value
        }
        let compressorDone = Atomic<Bool>(false)
        let compressing = Task {
            defer {
                sealedWrite?.close()
                compressorDone.store(true, ordering: .releasing)
            }
            return try await Subprocess.run(
                .path(compress), arguments: Arguments(compressorArguments), platformOptions: options,
                input: .fileDescriptor(readEnd.descriptor, closeAfterSpawningProcess: false),
                output: .fileDescriptor(compressorOutput, closeAfterSpawningProcess: false),
                error: .fileDescriptor(log, closeAfterSpawningProcess: false)
            ) { execution in
                readEnd.close()
                sealedWrite?.close()
                control.register(execution.processIdentifier.value)
                return execution.processIdentifier.value
            }
        }
        let digest: (Int64, String)
        do {
            if let encryption, let sealedRead {
                // Sealing and hashing run side by side, as compressing and hashing do for plain archives.
                let sealed = Atomic<Bool>(false)
                let sealing = Task {
                    defer { sealed.store(true, ordering: .releasing) }
                    return try await ArchivePump.seal(from: sealedRead.descriptor, to: destination, key: encryption, progress: nil)
                }
                digest = try await GrowingFileDigest.follow(path: path, progress: progress) { sealed.load(ordering: .acquiring) }
                _ = try await sealing.value
            } else {
                digest = try await GrowingFileDigest.follow(path: path, progress: progress) {
                    compressorDone.load(ordering: .acquiring)
                }
            }
        } catch {
            control.stop(.aborted)
            _ = try? await compressing.value
            _ = try? await tarStatus
            throw error
        }
        let tarTermination: Termination
        do {
            let result = try await tarStatus
            control.unregister(result.closureResult)
            tarTermination = Termination(result.terminationStatus)
        } catch {
            writeEnd.close()
            _ = try? await compressing.value
            throw error
        }
        let result = try await compressing.value
        control.unregister(result.closureResult)
        do {
            try Self.check(producer.tool, tarTermination, allowed: producer.allowedExitCodes)
            try Self.check(compressor, Termination(result.terminationStatus), allowed: [0])
        } catch {
            if let full = DiskSpace.exhaustedMessage(writing: path) { throw LaunchError(description: "\(full): \(error)") }
            throw error
        }
        return Result(size: digest.0, sha256: digest.1)
    }

    static func check(_ tool: String, _ termination: Termination, allowed: Set<Int32>) throws {
        if case .exited(let code) = termination, allowed.contains(code) { return }
        throw LaunchError(description: "\(tool) failed: \(termination)")
    }
}


/// A descriptor that is closed exactly once, whoever gets there first.
final class ClosableDescriptor: Sendable {
    let descriptor: FileDescriptor
    private let closed = Mutex(false)

    init(_ descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    func close() {
        let first = closed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        if first { try? descriptor.close() }
    }
}
