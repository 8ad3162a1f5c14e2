import Foundation
import KeepwatchCore
import KeepwatchStore

/// Creating, changing and removing users and tokens (admin CLI, registration, the profile routes).
extension AccountService {
    public struct Profile: Sendable, Equatable {
        public var email: String?
        public var firstName: String?
        public var lastName: String?

        public init(email: String? = nil, firstName: String? = nil, lastName: String? = nil) {
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
        }
    }

    public static func checkPassword(_ password: String) throws(AccountError) {
        guard password.count >= 8 else { throw .invalid(field: "password", "must be at least 8 characters") }
        guard password.utf8.count <= 1024 else { throw .invalid(field: "password", "must be at most 1024 bytes") }
    }

    @discardableResult
    public func addUser(_ username: String, password: String, role: Role, profile: Profile = Profile()) async throws -> UserAccount {
        try UserAccount.checkUsername(username)
        try UserAccount.checkEmail(profile.email)
        try Self.checkPassword(password)
        guard try await store.user(username) == nil else { throw AccountError.exists("user \(username)") }
        let user = UserAccount(username: username, email: profile.email, firstName: profile.firstName, lastName: profile.lastName,
                               role: role, passwordHash: try await PasswordHasher.hash(password), createdAt: Self.now())
        try await store.insertUser(user)
        return user
    }

    /// The first user, through `/proxy/auth/register`: allowed only while there is none. The store inserts the user
    /// only if it still has none, in one statement, so of many concurrent registrations exactly one succeeds.
    public func register(_ username: String, password: String, profile: Profile, source: String) async throws -> UserAccount {
        guard try await store.userCount() == 0 else {
            await audit("register", username: username, source: source, result: "denied", detail: "a user exists")
            throw AccountError.exists("Admin user")
        }
        try UserAccount.checkUsername(username)
        try UserAccount.checkEmail(profile.email)
        try Self.checkPassword(password)
        let user = UserAccount(username: username, email: profile.email, firstName: profile.firstName, lastName: profile.lastName,
                               role: .admin, passwordHash: try await PasswordHasher.hash(password), createdAt: Self.now())
        guard try await store.insertFirstUser(user) else {
            await audit("register", username: username, source: source, result: "denied", detail: "a user exists")
            throw AccountError.exists("Admin user")
        }
        await audit("register", username: username, source: source, result: "ok")
        return user
    }

    /// Sets a password without knowing the old one (admin CLI); every session of the user ends.
    public func setPassword(_ username: String, to password: String) async throws {
        try Self.checkPassword(password)
        guard var user = try await store.user(username) else { throw AccountError.notFound("user \(username)") }
        user.passwordHash = try await PasswordHasher.hash(password)
        user.updatedAt = Self.now()
        try await store.updateUser(user)
        try await store.deleteSessions(username: username)
    }

    public enum PasswordChange: Sendable, Equatable {
        case changed
        case wrongOldPassword
        case throttled(retryAfter: Int)
    }

    /// A signed-in user changing their own password. Wrong old passwords count against the sign-in throttle; a change
    /// ends every other session of the user (the one that asked, `keepingSession`, stays).
    public func changePassword(_ username: String, old: String, new: String, source: String,
                               keepingSession sessionID: String? = nil) async throws -> PasswordChange {
        guard var user = try await store.user(username) else { throw AccountError.notFound("user \(username)") }
        let attempt: LoginThrottle.Attempt
        switch throttle.reserve(address: source, username: username) {
        case .failure(let wait): return .throttled(retryAfter: wait.seconds)
        case .success(let reserved): attempt = reserved
        }
        guard case .match = try await PasswordHasher.verify(old, against: user.passwordHash) else {
            await audit("setpassword", username: username, source: source, result: "denied", detail: "wrong old password")
            return .wrongOldPassword
        }
        throttle.succeeded(attempt)
        try Self.checkPassword(new)
        user.passwordHash = try await PasswordHasher.hash(new)
        user.updatedAt = Self.now()
        try await store.updateUser(user)
        try await store.deleteSessions(username: username, except: sessionID.map(Secrets.digest))
        await audit("setpassword", username: username, source: source, result: "ok", detail: "other sessions ended")
        return .changed
    }

    public func updateProfile(_ username: String, _ profile: Profile) async throws -> UserAccount {
        try UserAccount.checkEmail(profile.email)
        guard var user = try await store.user(username) else { throw AccountError.notFound("user \(username)") }
        // A key left out keeps its value; an empty string clears it.
        if let email = profile.email { user.email = email.isEmpty ? nil : email }
        if let firstName = profile.firstName { user.firstName = firstName.isEmpty ? nil : firstName }
        if let lastName = profile.lastName { user.lastName = lastName.isEmpty ? nil : lastName }
        user.updatedAt = Self.now()
        try await store.updateUser(user)
        return user
    }

    public func setRole(_ username: String, role: Role?, suspended: Bool?) async throws -> UserAccount {
        guard var user = try await store.user(username) else { throw AccountError.notFound("user \(username)") }
        let losesAdmin = user.role == .admin && !user.suspended && ((role.map { $0 != .admin } ?? false) || suspended == true)
        if losesAdmin { try await refuseLosingLastAdmin(username, doing: suspended == true ? "suspend" : "demote") }
        if let role { user.role = role }
        if let suspended { user.suspended = suspended }
        user.updatedAt = Self.now()
        try await store.updateUser(user)
        if user.suspended { try await store.deleteSessions(username: username) }
        return user
    }

    public func dropUser(_ username: String) async throws {
        guard let user = try await store.user(username) else { throw AccountError.notFound("user \(username)") }
        if user.role == .admin && !user.suspended { try await refuseLosingLastAdmin(username, doing: "remove") }
        guard try await store.deleteUser(username) else { throw AccountError.notFound("user \(username)") }
    }

    /// Nobody could administer the node any more: refused.
    func refuseLosingLastAdmin(_ username: String, doing verb: String) async throws {
        let activeAdmins = try await store.users().filter { $0.role == .admin && !$0.suspended }
        if activeAdmins.count <= 1 {
            throw AccountError.invalid(field: "role", "\(username) is the last active admin; add another admin before you \(verb) \(username)")
        }
    }

    // MARK: tokens

    /// A new token and its secret, which is not stored and cannot be shown again.
    public func createToken(name: String, role: Role, expiresIn seconds: Int64?) async throws -> (APIToken, secret: String) {
        guard !name.isEmpty, name.utf8.count <= 100 else { throw AccountError.invalid(field: "name", "must be 1 to 100 characters") }
        guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw AccountError.invalid(field: "name", "must not contain control characters")
        }
        let now = Self.now()
        let token = APIToken(tokenID: "tok_" + Hex.encode(Secrets.randomBytes(6)), name: name, role: role, createdAt: now,
                             expiresAt: seconds.map { now + $0 })
        let secret = Secrets.tokenPrefix + Secrets.randomToken()
        try await store.insertToken(token, secretHash: Secrets.digest(secret))
        return (token, secret)
    }

    public func revokeToken(_ id: String) async throws -> APIToken {
        guard var token = try await store.token(id: id) else { throw AccountError.notFound("token \(id)") }
        if token.revokedAt == nil {
            token.revokedAt = Self.now()
            try await store.updateToken(token)
        }
        return token
    }

    // MARK: first start

    /// Adds the `users:` of keepwatch.yaml that the store does not have yet; the names added.
    public func importConfiguredUsers(_ users: [ConfiguredUser]) async throws -> [String] {
        var added: [String] = []
        for configured in users where try await store.user(configured.username) == nil {
            try await store.insertUser(UserAccount(
                username: configured.username, email: configured.email, firstName: configured.firstName,
                lastName: configured.lastName, role: configured.role, suspended: configured.suspended,
                passwordHash: configured.passwordHash, createdAt: Self.now()))
            added.append(configured.username)
        }
        return added
    }

    /// With no user at all, creates `admin` with a random password and returns the password (shown once).
    public func createFirstAdminIfNeeded() async throws -> String? {
        guard try await store.userCount() == 0 else { return nil }
        let password = Secrets.randomPassword()
        let user = UserAccount(username: "admin", role: .admin, passwordHash: try await PasswordHasher.hash(password), createdAt: Self.now())
        return try await store.insertFirstUser(user) ? password : nil
    }
}
