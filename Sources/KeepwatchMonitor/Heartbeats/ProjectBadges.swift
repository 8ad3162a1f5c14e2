import Crypto
import Foundation
import KeepwatchCore
import KeepwatchStore

/// The node's tag badges, as Healthchecks signs a project's: `/badge/<badge key>/<signature>/<tag>.<format>` and
/// `/badge/<badge key>/<signature>.<format>` for every check. The signature is the first 8 characters of Django's
/// `base64_hmac(badge key, tag, secret)`; `-2` after it asks for two states. The secret never leaves the node, so
/// a tag's badge URL cannot be guessed from another's.
public struct ProjectBadges: Sendable {
    public let key: String
    let secret: String

    static let keySetting = "badge_key"
    static let secretSetting = "badge_secret"

    public static func load(from store: any HeartbeatStore) async throws -> ProjectBadges {
        func setting(_ name: String, make: () -> String) async throws -> String {
            if let value = try await store.setting(name) { return value }
            let value = make()
            try await store.setSetting(name, value)
            return value
        }
        let key = try await setting(keySetting) { UUID().uuidString.lowercased() }
        let secret = try await setting(secretSetting) { HeartbeatService.randomText(40) }
        return ProjectBadges(key: key, secret: secret)
    }

    /// `salted_hmac` (SHA-1 of salt + secret as the key), then URL-safe base64 without padding.
    public func signature(_ tag: String) -> String {
        let key = SymmetricKey(data: Data(Insecure.SHA1.hash(data: Data((self.key + secret).utf8))))
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(tag.utf8), using: key)
        let text = Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return String(text.prefix(8))
    }

    /// The number of states a signature asks for, or nil when it is not this tag's.
    public func states(signature: String, tag: String) -> Int? {
        guard signature.prefix(8) == self.signature(tag) else { return nil }
        return signature.count == 10 && signature.hasSuffix("-2") ? 2 : 3
    }

    /// The six URLs of a tag's badge (`*` for every check), as `GET /api/v3/badges/` lists them.
    public func urls(tag: String, root: String) -> JSONValue {
        var urls: [String: JSONValue] = [:]
        for (format, name) in [("svg", "svg"), ("json", "json"), ("shields", "shields")] {
            urls[name] = .string(url(tag: tag, format: format, states: 2, root: root))
            urls[name + "3"] = .string(url(tag: tag, format: format, states: 3, root: root))
        }
        return .object(urls)
    }

    func url(tag: String, format: String, states: Int, root: String) -> String {
        let signature = signature(tag) + (states == 2 ? "-2" : "")
        if tag == "*" { return "\(root)/badge/\(key)/\(signature).\(format)" }
        let quoted = tag.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? tag
        return "\(root)/badge/\(key)/\(signature)/\(quoted).\(format)"
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
}
