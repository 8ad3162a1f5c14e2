import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Subprocess
import Synchronization
import SystemPackage

/// `tar --create | <compressor>` into a file, with the compressed bytes hashed (SHA-256) and counted as they
/// pass; tar's output reaches the compressor through a kernel pipe, never through Swift, and nothing is
/// held in memory beyond one chunk.
public struct StreamedArchive: Sendable {
    public struct Result: Sendable {
        public var size: Int64
        public var sha256: String
    }

    public var tarArguments: [String]
    public var compressor: String
    public var compressorArguments: [String]

    public init(tarArguments: [String], compressor: String, compressorArguments: [String]) {
        self.tarArguments = tarArguments
        self.compressor = compressor
        self.compressorArguments = compressorArguments
    }

    /// Writes the archive to `destination` (an open file); tool messages go to `log`.
    /// `progress` is raised by every chunk's size.
    public func write(to destination: FileDescriptor, log: FileDescriptor, control: RunControl,
                      progress: ProgressCounter) async throws -> Result {
        let tar = try ProcessLauncher.resolve("tar")
        let compress = try ProcessLauncher.resolve(compressor)
        let pipe = try FileDescriptor.pipe()
        let readEnd = ClosableDescriptor(pipe.readEnd)
        let writeEnd = ClosableDescriptor(pipe.writeEnd)
        defer {
            readEnd.close()
            writeEnd.close()
        }
        let options = ProcessLauncher.options()
        let tarArguments = self.tarArguments
        let compressorArguments = self.compressorArguments
        async let tarStatus = Subprocess.run(
            .path(tar), arguments: Arguments(tarArguments), platformOptions: options, input: .none,
            output: .fileDescriptor(writeEnd.descriptor, closeAfterSpawningProcess: false),
            error: .fileDescriptor(log, closeAfterSpawningProcess: false)
        ) { execution in
            writeEnd.close()
            control.register(execution.processIdentifier.value)
            return execution.processIdentifier.value
        }
        async let compressed = Subprocess.run(
            .path(compress), arguments: Arguments(compressorArguments), platformOptions: options,
            input: .fileDescriptor(readEnd.descriptor, closeAfterSpawningProcess: false), output: .sequence,
            error: .fileDescriptor(log, closeAfterSpawningProcess: false)
        ) { execution -> (pid_t, Int64, String) in
            readEnd.close()
            let pid = execution.processIdentifier.value
            control.register(pid)
            var hasher = SHA256()
            var size: Int64 = 0
            for try await chunk in execution.standardOutput {
                try chunk.withUnsafeBytes { bytes in
                    hasher.update(bufferPointer: bytes)
                    _ = try destination.writeAll(bytes)
                }
                size += Int64(chunk.count)
                progress.add(Int64(chunk.count))
            }
            let digest = hasher.finalize().map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
            return (pid, size, digest)
        }
        let tarTermination: Termination
        do {
            let result = try await tarStatus
            control.unregister(result.closureResult)
            tarTermination = Termination(result.terminationStatus)
        } catch {
            writeEnd.close()
            _ = try? await compressed
            throw error
        }
        let result = try await compressed
        control.unregister(result.closureResult.0)
        let compressTermination = Termination(result.terminationStatus)
        try Self.check("tar", tarTermination, allowed: [0, 1])
        try Self.check(compressor, compressTermination, allowed: [0])
        return Result(size: result.closureResult.1, sha256: result.closureResult.2)
    }

    /// GNU tar exits 1 when a file changed while it was read; the archive is still complete.
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
