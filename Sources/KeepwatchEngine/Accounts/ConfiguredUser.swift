import KeepwatchCore

/// A user listed under `users:` in keepwatch.yaml (ccmgr.yaml's form), imported into the store when missing.
public struct ConfiguredUser: Equatable, Sendable {
    public var username: String
    public var passwordHash: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    /// cmon-proxy's local users are all administrators, so `admin` is the default.
    public var role: Role = .admin
    public var suspended = false

    /// ccmgr.yaml's keys, plus Keepwatch's `role`; `ldap`, `cmon`, `groups` and `xid` are read and ignored.
    static let knownKeys: Set<String> = ["username", "passwordhash", "email", "firstname", "lastname", "role", "admin",
                                         "suspended", "ldap", "cmon", "groups", "xid"]
}
