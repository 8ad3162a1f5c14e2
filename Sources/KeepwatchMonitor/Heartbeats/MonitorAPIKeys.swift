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

    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    public func create(name: String, readOnly: Bool) async throws -> (key: MonitorAPIKey, secret: String) {
        guard !name.isEmpty, name.count <= 100, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Refused(description: "a key's name is 1 to 100 characters without control characters")
        }
        let secret = (readOnly ? "hcr_" : "hcw_") + HeartbeatService.randomText(28)
        let key = MonitorAPIKey(keyID: HeartbeatService.randomText(8), name: name, readOnly: readOnly,
                                createdAt: Int64(Date().timeIntervalSince1970))
        try await store.insertMonitorAPIKey(key, secretHash: Self.hash(secret))
        return (key, secret)
    }

    public func list() async throws -> [MonitorAPIKey] { try await store.monitorAPIKeys() }

    /// Revokes the key with that id, or the one active key with that name; says why when it cannot.
    public func revoke(_ idOrName: String) async throws -> MonitorAPIKey {
        let keys = try await store.monitorAPIKeys()
        if let key = keys.first(where: { $0.keyID == idOrName }) {
            guard key.revokedAt == nil else { throw Refused(description: "api key \(key.keyID) was already revoked") }
            _ = try await store.revokeMonitorAPIKey(id: key.keyID, at: Int64(Date().timeIntervalSince1970))
            return key
        }
        let named = keys.filter { $0.name == idOrName && $0.revokedAt == nil }
        guard let key = named.first else { throw Refused(description: "no active api key with the id or name \(idOrName) (see keepwatch admin apikey list)") }
        guard named.count == 1 else {
            throw Refused(description: "\(named.count) active keys are named \(idOrName): give the id of the one to revoke (\(named.map(\.keyID).joined(separator: ", ")))")
        }
        _ = try await store.revokeMonitorAPIKey(id: key.keyID, at: Int64(Date().timeIntervalSince1970))
        return key
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
