import Crypto
import Foundation
import KeepwatchCore
import SystemPackage

/// `<data>/node.key`: 32 random bytes, mode 0600, made on first use. It seals the secrets the store keeps
/// (mgob plan passwords, later source credentials and channel secrets) with AES-256-GCM, so that a copy of
/// `keepwatch.sqlite` alone does not reveal them.
public struct NodeKey: SecretSealer {
    let key: SymmetricKey

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func path(in data: DataDirectory) -> String { data.root.appendingPathComponent("node.key").path }

    /// Reads the node key, creating it when there is none.
    public static func loadOrCreate(_ data: DataDirectory) throws -> NodeKey {
        let path = path(in: data)
        if let existing = FileManager.default.contents(atPath: path) {
            guard existing.count == 32 else {
                throw Failure(description: "\(path) is damaged (\(existing.count) bytes, expected 32); restore it from a backup of the data directory")
            }
            return NodeKey(key: SymmetricKey(data: existing))
        }
        let bytes = Data(Secrets.randomBytes(32))
        let descriptor = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                                 permissions: [.ownerReadWrite])
        do {
            _ = try descriptor.writeAll(bytes)
            try AtomicFiles.sync(descriptor)
            try descriptor.close()
        } catch {
            try? descriptor.close()
            throw error
        }
        AtomicFiles.syncDirectory(data.root.path)
        return NodeKey(key: SymmetricKey(data: bytes))
    }

    public func seal(_ secret: String) -> String {
        guard let box = try? AES.GCM.seal(Data(secret.utf8), using: key), let combined = box.combined else { return SecretFields.redaction }
        return SealedText.prefix + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard SealedText.isSealed(sealed), let combined = Data(base64Encoded: String(sealed.dropFirst(SealedText.prefix.count))) else {
            throw Failure(description: "a sealed secret in the store is damaged")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw Failure(description: "a secret in the store cannot be opened with node.key (was node.key replaced?)")
        }
    }
}
