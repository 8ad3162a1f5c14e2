import Crypto
import _CryptoExtras
import Foundation
import KeepwatchCore
import NIOPosix

/// PBKDF2-HMAC-SHA256 password hashes in cmon-proxy's `hex(salt):iterations:hex(key)` form.
/// Deriving costs ~0.2 s of CPU on purpose, so it runs on its own two threads: never on the async executor, and
/// never on NIO's shared blocking pool, where a burst of logins would hold up the SQLite store.
public enum PasswordHasher {
    public enum Verdict: Sendable, Equatable {
        case match(needsUpgrade: Bool)
        case mismatch
        /// The stored text is not a hash Keepwatch can read.
        case unreadable
    }

    public static func hash(_ password: String, iterations: Int = PasswordHashText.minimumIterations) async throws -> String {
        let salt = Secrets.randomBytes(PasswordHashText.saltBytes)
        let key = try await derive(password, salt: salt, iterations: iterations, bytes: PasswordHashText.keyBytes)
        return PasswordHashText(salt: salt, iterations: iterations, key: key).text
    }

    public static func verify(_ password: String, against stored: String) async throws -> Verdict {
        guard let parsed = PasswordHashText(stored) else { return .unreadable }
        let key = try await derive(password, salt: parsed.salt, iterations: parsed.iterations, bytes: parsed.key.count)
        return Secrets.constantTimeEqual(key, parsed.key) ? .match(needsUpgrade: parsed.needsUpgrade) : .mismatch
    }

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    static func derive(_ password: String, salt: [UInt8], iterations: Int, bytes: Int) async throws -> [UInt8] {
        try await pool.runIfActive {
            let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256,
                                                        outputByteCount: bytes, unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Array($0) }
        }
    }
}
