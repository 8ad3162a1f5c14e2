import Foundation
import KeepwatchCore
import KeepwatchStore
import Logging
import Synchronization

/// Signs people in and out, resolves session cookies and bearer tokens to a `Principal`, and keeps
/// accounts and tokens. Every sign-in and sign-out is written to the audit trail and the log.
public final class AccountService: Sendable {
    public let store: any AccountStore
    public let throttle: LoginThrottle
    let logger: Logger
    private let ttl: Mutex<Int64>

    /// A hash of a random password: unknown users cost as much time as known ones, so timing does not tell them apart.
    private let decoyHash = Mutex<String?>(nil)
    /// Throttled attempts are audited once per address every few seconds, so a flood cannot fill the disk.
    let throttleReports = ReportLimiter(interval: 10)

    public init(store: any AccountStore, sessionTTL: Int64, throttle: LoginThrottle = LoginThrottle(), logger: Logger) {
        self.store = store
        self.throttle = throttle
        self.logger = logger
        self.ttl = Mutex(sessionTTL)
    }

    public var sessionTTL: Int64 {
        get { ttl.withLock { $0 } }
    }

    public func setSessionTTL(_ seconds: Int64) { ttl.withLock { $0 = seconds } }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    // MARK: signing in and out

    public enum LoginResult: Sendable {
        case signedIn(UserAccount, sessionID: String)
        case denied(String)
        case throttled(retryAfter: Int)
    }

    /// Usernames longer than this are refused at sign-in without a lookup (accounts are at most 64 characters).
    static let longestUsername = 128

    public func login(username: String, password: String, source: String) async throws -> LoginResult {
        let shown = DoubleQuoted.bounded(username)
        let attempt: LoginThrottle.Attempt
        switch throttle.reserve(address: source, username: String(username.prefix(Self.longestUsername))) {
        case .failure(let wait):
            if throttleReports.shouldReport(source) { await audit("login", username: shown, source: source, result: "throttled") }
            return .throttled(retryAfter: wait.seconds)
        case .success(let reserved):
            attempt = reserved
        }
        guard username.count <= Self.longestUsername, let user = try await store.user(username) else {
            _ = try await PasswordHasher.verify(password, against: try await decoy())
            return await refuse(username: shown, source: source, reason: "User not found or wrong password")
        }
        switch try await PasswordHasher.verify(password, against: user.passwordHash) {
        case .mismatch, .unreadable:
            return await refuse(username: shown, source: source, reason: "User not found or wrong password")
        case .match(let needsUpgrade):
            // A suspended account answers like a wrong password: the reply must not confirm the password.
            guard !user.suspended else { return await refuse(username: shown, source: source, reason: "User not found or wrong password",
                                                             detail: "account is suspended") }
            if needsUpgrade { try await upgradeHash(of: user, password: password) }
            throttle.succeeded(attempt)
            let sessionID = Secrets.randomToken()
            let now = Self.now()
            try await store.insertSession(SessionRecord(idHash: Secrets.digest(sessionID), username: user.username,
                                                        createdAt: now, lastActiveAt: now, source: source))
            await audit("login", username: shown, source: source, result: "ok")
            return .signedIn(user, sessionID: sessionID)
        }
    }

    private func refuse(username: String, source: String, reason: String, detail: String? = nil) async -> LoginResult {
        logger.warning("sign-in refused", metadata: ["user": "\(username)", "source": "\(source)"])
        await audit("login", username: username, source: source, result: "denied", detail: detail ?? reason)
        return .denied(reason)
    }

    private func decoy() async throws -> String {
        if let hash = decoyHash.withLock({ $0 }) { return hash }
        let hash = try await PasswordHasher.hash(Secrets.randomPassword())
        decoyHash.withLock { $0 = hash }
        return hash
    }

    private func upgradeHash(of user: UserAccount, password: String) async throws {
        var upgraded = user
        upgraded.passwordHash = try await PasswordHasher.hash(password)
        upgraded.updatedAt = Self.now()
        try await store.updateUser(upgraded)
        logger.notice("password hash upgraded", metadata: ["user": "\(user.username)", "iterations": "\(PasswordHashText.minimumIterations)"])
    }

    /// Ends a session; the user it belonged to, if it was live.
    @discardableResult
    public func logout(sessionID: String, source: String) async throws -> String? {
        let hash = Secrets.digest(sessionID)
        guard let session = try await store.session(idHash: hash) else { return nil }
        try await store.deleteSession(idHash: hash)
        await audit("logout", username: session.username, source: source, result: "ok")
        return session.username
    }

    // MARK: resolving credentials

    /// The user behind a session cookie; idle, orphaned and suspended sessions end here. Use bumps the idle timer.
    public func signedInUser(sessionID: String, source: String) async throws -> (UserAccount, Principal)? {
        let hash = Secrets.digest(sessionID)
        guard let session = try await store.session(idHash: hash) else { return nil }
        let now = Self.now()
        let ttl = sessionTTL
        if session.isIdle(at: now, ttl: ttl) {
            try await store.deleteSession(idHash: hash)
            await audit("logout", username: session.username, source: source, result: "expired", detail: "idle for \(ttl)s")
            return nil
        }
        guard let user = try await store.user(session.username), !user.suspended else {
            try await store.deleteSession(idHash: hash)
            return nil
        }
        if now - session.lastActiveAt >= min(60, ttl / 4) { try await store.touchSession(idHash: hash, at: now) }
        return (user, Principal(name: user.username, role: user.role, credential: .session(idHash: hash)))
    }

    /// Ends every session idle for longer than the TTL (those never presented again would otherwise stay);
    /// how many ended.
    @discardableResult
    public func sweepIdleSessions() async throws -> Int {
        let ended = try await store.deleteSessions(lastActiveBefore: Self.now() - sessionTTL)
        for session in ended {
            await audit("logout", username: session.username, source: session.source, result: "expired", detail: "idle for \(sessionTTL)s")
        }
        return ended.count
    }

    public enum TokenCheck: Sendable {
        case valid(Principal)
        case refused(String)
    }

    public func check(bearer secret: String) async throws -> TokenCheck {
        guard secret.hasPrefix(Secrets.tokenPrefix), var token = try await store.token(secretHash: Secrets.digest(secret)) else {
            return .refused("unknown API token")
        }
        let now = Self.now()
        if let refusal = token.refusal(at: now) { return .refused(refusal) }
        if (token.lastUsedAt ?? 0) + 60 <= now {
            token.lastUsedAt = now
            try await store.updateToken(token)
        }
        return .valid(Principal(name: "token:\(token.name)", role: token.role, credential: .token(id: token.tokenID)))
    }

    // MARK: audit

    public func audit(_ action: String, username rawUsername: String, source: String, result: String, detail rawDetail: String? = nil) async {
        let username = DoubleQuoted.bounded(rawUsername)
        let detail = rawDetail.map { DoubleQuoted.bounded($0, limit: 512) }
        let entry = AuditEntry(at: Self.now(), action: action, username: username, source: source, result: result, detail: detail)
        var metadata: Logger.Metadata = ["action": "\(action)", "user": "\(username)", "source": "\(source)", "result": "\(result)"]
        if let detail { metadata["detail"] = "\(detail)" }
        logger.info("audit", metadata: metadata)
        do {
            try await store.appendAudit(entry)
        } catch {
            logger.error("audit entry not stored: \(error)")
        }
    }
}

/// Says yes at most once per key every `interval` seconds.
final class ReportLimiter: Sendable {
    let interval: TimeInterval
    private let last = Mutex<[String: Date]>([:])

    init(interval: TimeInterval) { self.interval = interval }

    func shouldReport(_ key: String, now: Date = Date()) -> Bool {
        last.withLock { table in
            if let previous = table[key], now.timeIntervalSince(previous) < interval { return false }
            if table.count > 10_000 { table = table.filter { now.timeIntervalSince($0.value) < interval } }
            table[key] = now
            return true
        }
    }
}
