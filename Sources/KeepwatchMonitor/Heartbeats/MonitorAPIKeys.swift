import Crypto
import Foundation
import KeepwatchStore

/// Keys for the Healthchecks management API: 32 characters, `hcw_` (read-write) or `hcr_` (read-only) and 28
/// lowercase letters and digits, shown once; the store keeps their SHA-256.
public struct MonitorAPIKeys: Sendable {
    public enum Check: Sendable, Equatable {
        case readWrite
        case readOnly
        /// Healthchecks's words: `missing api key` (not 32 characters) or `wrong api key`.
        case refused(String)
    }

    let store: any HeartbeatStore

    public init(store: any HeartbeatStore) {
        self.store = store
    }

    public func create(name: String, readOnly: Bool) async throws -> (key: MonitorAPIKey, secret: String) {
        let secret = (readOnly ? "hcr_" : "hcw_") + HeartbeatService.randomText(28)
        let key = MonitorAPIKey(keyID: HeartbeatService.randomText(8), name: name, readOnly: readOnly,
                                createdAt: Int64(Date().timeIntervalSince1970))
        try await store.insertMonitorAPIKey(key, secretHash: Self.hash(secret))
        return (key, secret)
    }

    public func list() async throws -> [MonitorAPIKey] { try await store.monitorAPIKeys() }

    /// Whether a key with that id (or that name, when only one has it) was revoked.
    public func revoke(_ idOrName: String) async throws -> Bool {
        let keys = try await store.monitorAPIKeys().filter { $0.revokedAt == nil }
        let named = keys.filter { $0.name == idOrName }
        guard let key = keys.first(where: { $0.keyID == idOrName }) ?? (named.count == 1 ? named.first : nil) else { return false }
        return try await store.revokeMonitorAPIKey(id: key.keyID, at: Int64(Date().timeIntervalSince1970))
    }

    /// What the key may do. `writing` asks for a read-write key (a read-only one is then a wrong key, as upstream).
    public func check(_ secret: String, writing: Bool) async throws -> Check {
        guard secret.utf8.count == 32 else { return .refused("missing api key") }
        guard let key = try await store.monitorAPIKey(secretHash: Self.hash(secret)), key.revokedAt == nil else {
            return .refused("wrong api key")
        }
        if key.readOnly { return writing ? .refused("wrong api key") : .readOnly }
        return .readWrite
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
