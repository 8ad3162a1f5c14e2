/// A person who signs in. The password hash never leaves the store and the account service.
public struct UserAccount: Sendable, Hashable {
    public var username: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var role: Role
    public var suspended: Bool
    /// `hex(salt):iterations:hex(key)`, PBKDF2-HMAC-SHA256 (cmon-proxy's format, with Keepwatch's cost).
    public var passwordHash: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(username: String, email: String? = nil, firstName: String? = nil, lastName: String? = nil, role: Role,
                suspended: Bool = false, passwordHash: String, createdAt: Int64, updatedAt: Int64? = nil) {
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
        self.suspended = suspended
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Letters, digits and `._@-`, 1 to 64 characters: safe in logs, URLs and the audit trail.
    public static func checkUsername(_ name: String) throws(AccountError) {
        guard !name.isEmpty else { throw .invalid(field: "username", "must not be empty") }
        guard name.utf8.count <= 64 else { throw .invalid(field: "username", "must be at most 64 characters") }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "._@-".unicodeScalars.contains(scalar)
        }
        guard allowed else { throw .invalid(field: "username", "may contain only letters, digits and . _ @ -") }
    }

    public static func checkEmail(_ email: String?) throws(AccountError) {
        guard let email, !email.isEmpty else { return }
        guard email.contains("@"), !email.contains(where: \.isWhitespace) else {
            throw .invalid(field: "email", "'\(email)' is not an e-mail address")
        }
    }
}

public enum AccountError: Error, Equatable, CustomStringConvertible {
    case invalid(field: String, String)
    case notFound(String)
    case exists(String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): return "\(field) \(reason)"
        case .notFound(let what): return "\(what) not found"
        case .exists(let what): return "\(what) already exists"
        }
    }
}
