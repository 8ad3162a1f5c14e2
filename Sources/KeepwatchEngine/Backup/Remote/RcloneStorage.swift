import Crypto
import Foundation
import KeepwatchCore
import SystemPackage

/// Remote storage through rclone (`storage: rclone`, `container: "remote:bucket/prefix"`, `rclone_config`):
/// copies are made with `rclone copyto` (retried, skipped when already there) and checked by size and MD5.
struct RcloneStorage: Sendable {
    let config: String
    let container: String

    /// rclone's S3 client (1.60, Debian 12) fails to start whenever AWS_CA_BUNDLE is set ("LoadCustomCABundleError");
    /// the system CAs are used without it, and a custom CA belongs in the rclone config (`ca_cert`) anyway.
    static let unset = ["AWS_CA_BUNDLE"]

    /// The storage an action names, if it names rclone.
    init?(action: FreezerAction) throws {
        guard action.string("storage") == "rclone" else { return nil }
        guard let container = action.container, container.contains(":") else {
            throw ActionFailure("storage rclone needs container: \"remote:bucket/prefix\"")
        }
        guard let config = action.string("rclone_config") else { throw ActionFailure("storage rclone needs rclone_config") }
        self.init(config: config, container: container.hasSuffix("/") ? String(container.dropLast()) : container)
    }

    init(config: String, container: String) {
        self.config = config
        self.container = container
    }

    func remotePath(name: String, file: String) -> String { "\(container)/\(name)/\(file)" }

    /// Copies `local` to `remote`, with rclone's one-line progress every second in `log`, then checks the copy.
    func upload(_ local: String, to remote: String, log: FileDescriptor, control: RunControl) async throws {
        let arguments = ["--config", config, "copyto", local, remote, "--retries", "3", "--low-level-retries", "10",
                         "--stats", "1s", "--stats-one-line", "-v"]
        let termination = try await ProcessLauncher.run("rclone", arguments, removing: Self.unset, output: log, error: log, control: control)
        guard termination.succeeded else { throw ActionFailure("rclone copyto \(remote) failed: \(termination)") }
        try await check(local: local, remote: remote)
    }

    func download(_ remote: String, to local: String, log: FileDescriptor, control: RunControl) async throws {
        let termination = try await ProcessLauncher.run("rclone", ["--config", config, "copyto", remote, local, "--retries", "3"], removing: Self.unset,
                                                        output: log, error: log, control: control)
        guard termination.succeeded else { throw ActionFailure("rclone could not fetch \(remote): \(termination)") }
    }

    func delete(_ remote: String) async throws {
        let output = try await ProcessRunner.output("rclone", ["--config", config, "deletefile", remote], removing: Self.unset)
        if output.contains("ERROR") && !output.contains("not found") { throw ActionFailure("rclone deletefile \(remote): \(output)") }
    }

    /// Size and MD5 of the remote object must equal the local file's.
    func check(local: String, remote: String) async throws {
        let listing = try await ProcessRunner.output("rclone", ["--config", config, "lsjson", "--hash", "--hash-type", "MD5", remote],
                                                         removing: Self.unset)
        guard let data = listing.data(using: .utf8),
              let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]], let entry = entries.first else {
            throw ActionFailure("the copy \(remote) cannot be listed after upload: \(listing.prefix(300))")
        }
        let (size, md5) = try await ArchivePump.pool.runIfActive { try Self.md5(ofFile: local) }
        guard (entry["Size"] as? Int64 ?? (entry["Size"] as? Int).map(Int64.init)) == size else {
            throw ActionFailure("the copy \(remote) has size \(entry["Size"] ?? "?"), the local file \(size)")
        }
        if let remoteMD5 = (entry["Hashes"] as? [String: Any])?["md5"] as? String, !remoteMD5.isEmpty, remoteMD5 != md5 {
            throw ActionFailure("the copy \(remote) has MD5 \(remoteMD5), the local file \(md5)")
        }
    }

    static func md5(ofFile path: String) throws -> (Int64, String) {
        let descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        defer { try? descriptor.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = Insecure.MD5()
        var size: Int64 = 0
        while true {
            let count = try descriptor.read(into: buffer)
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        return (size, Hex.encode(hasher.finalize()))
    }
}
