/// A job action's `freezer_action`: Freezer agent options, kept as given (unknown keys included) with
/// `-` in key names read as `_` (`restore-abs-path` is `restore_abs_path`), `src_file` read as `path_to_backup`,
/// and null values dropped (null means unset, as in freezer-api's replies).
public struct FreezerAction: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case backup, restore, info, admin, exec
        /// Keepwatch's: re-reads a backup name's archives and checks them against their manifests.
        case verify
    }

    public private(set) var values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) {
        var normalized: [String: JSONValue] = [:]
        for (key, value) in values where !value.isNull {
            normalized[Self.normalize(key)] = value
        }
        if let source = normalized.removeValue(forKey: "src_file"), normalized["path_to_backup"]?.isNull ?? true {
            normalized["path_to_backup"] = source
        }
        self.values = normalized
    }

    public static func normalize(_ key: String) -> String {
        String(key.map { $0 == "-" ? "_" : $0 })
    }

    /// Fills every key that is missing or null from `defaults` (Freezer's `action_defaults`).
    public func merged(with defaults: FreezerAction) -> FreezerAction {
        var result = self
        for (key, value) in defaults.values where result.values[key]?.isNull ?? true {
            result.values[key] = value
        }
        return result
    }

    public subscript(key: String) -> JSONValue? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    public var kind: Kind { Kind(rawValue: self["action"]?.stringValue ?? "backup") ?? .backup }
    public var mode: String? { self["mode"]?.stringValue }
    public var backupName: String? { self["backup_name"]?.stringValue }
    public var pathToBackup: String? { self["path_to_backup"]?.stringValue }
    public var container: String? { self["container"]?.stringValue }

    public func string(_ key: String) -> String? { self[key]?.stringValue }

    public func int(_ key: String) -> Int? {
        switch self[key] {
        case .number(let value)? where value.rounded() == value && abs(value) < 1e15: return Int(value)
        case .string(let text)?: return Int(text) ?? Double(text).flatMap { $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil }
        default: return nil
        }
    }

    public func double(_ key: String) -> Double? {
        switch self[key] {
        case .number(let value)?: return value.isFinite ? value : nil
        case .string(let text)?: return Double(text).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    public func bool(_ key: String) -> Bool? {
        switch self[key] {
        case .bool(let value)?: return value
        case .string(let text)?: return ["true", "yes", "1"].contains(text.lowercased()) ? true
            : (["false", "no", "0"].contains(text.lowercased()) ? false : nil)
        default: return nil
        }
    }

    /// A string or an array of strings (`exclude`, `command`).
    public func strings(_ key: String) -> [String]? {
        switch self[key] {
        case .string(let text)?: return [text]
        case .array(let items)?:
            let strings = items.compactMap(\.stringValue)
            return strings.count == items.count ? strings : nil
        default: return nil
        }
    }
}
