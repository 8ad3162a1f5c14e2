import Crypto
import Foundation
import KeepwatchCore

/// The secret an encrypted archive is sealed with: a passphrase (`encrypt_pass_file`, first line, stretched with
/// PBKDF2-HMAC-SHA256 and a per-archive salt) or a 256-bit key (`encrypt_key_file`: 32 raw bytes or 64 hex digits).
public enum ArchiveKey: Sendable {
    case passphrase(String)
    case raw([UInt8])

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The key an action names, if it names one; unreadable or empty files are errors that name the file.
    public static func from(passFile: String?, keyFile: String?) throws -> ArchiveKey? {
        if let passFile { return try passphrase(file: passFile) }
        if let keyFile { return try raw(file: keyFile) }
        return nil
    }

    static func passphrase(file: String) throws -> ArchiveKey {
        guard let phrase = SecretFile.firstLine(file) else { throw Failure("cannot read encrypt_pass_file \(file)") }
        guard !phrase.isEmpty else { throw Failure("encrypt_pass_file \(file) has an empty first line") }
        return .passphrase(phrase)
    }

    static func raw(file: String) throws -> ArchiveKey {
        guard let data = FileManager.default.contents(atPath: file) else { throw Failure("cannot read encrypt_key_file \(file)") }
        if data.count == 32 { return .raw(Array(data)) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 64, let bytes = Hex.decode(Substring(text)) else {
            throw Failure("encrypt_key_file \(file) must hold 32 raw bytes or 64 hex digits")
        }
        return .raw(bytes)
    }

    var source: UInt8 {
        switch self {
        case .passphrase: return 1
        case .raw: return 2
        }
    }

    /// The AES-256 key for an archive with this salt and iteration count.
    func symmetricKey(salt: [UInt8], iterations: Int) async throws -> SymmetricKey {
        switch self {
        case .raw(let bytes):
            return SymmetricKey(data: bytes)
        case .passphrase(let phrase):
            return SymmetricKey(data: try await PasswordHasher.derive(phrase, salt: salt, iterations: iterations, bytes: 32))
        }
    }
}

/// Files that hold a secret on their first line (passphrases, database passwords); a trailing CR is dropped.
enum SecretFile {
    static func firstLine(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let first = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        return first.hasSuffix("\r") ? String(first.dropLast()) : String(first)
    }
}
