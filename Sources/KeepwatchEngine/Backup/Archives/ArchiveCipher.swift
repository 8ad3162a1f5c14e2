import Crypto
import Foundation
import KeepwatchCore

/// Keepwatch's encrypted archive stream: authenticated, chunked AES-256-GCM, written and read as it streams.
///
///     header, 64 bytes:  "KWAEAD01" | key source (1 passphrase, 2 key file) | PBKDF2 iterations (u32 BE)
///                        | salt (16) | nonce prefix (8, random) | chunk size (u32 BE)
///                        | key check (16: HMAC-SHA256(key, "keepwatch key check" || the 41 bytes before)) | 7 zero bytes
///     records:           final flag (1 byte, 1 on the last record) | length (u32 BE) | ciphertext | tag (16)
///
/// Record n is sealed with nonce = prefix || n (u32 BE) and authenticates the header, its flag and n, so a
/// flipped bit, reordered, dropped or appended records and a cut-off file all fail to open; the key check tells a
/// wrong key apart from a damaged archive before any record is read.
public enum ArchiveCipher {
    static let magic = Array("KWAEAD01".utf8)
    static let headerSize = 64
    static let checkedPrefix = 41
    static let chunkSize = 1 << 20
    static let iterations = 600_000

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    struct Header {
        var source: UInt8
        var iterations: Int
        var salt: [UInt8]
        var noncePrefix: [UInt8]
        var chunkSize: Int
        var keyCheck: [UInt8] = []

        /// The first 41 bytes, which the key check covers.
        var prefix: [UInt8] {
            var out = ArchiveCipher.magic
            out.append(source)
            out += Self.bigEndian(UInt32(iterations))
            out += salt
            out += noncePrefix
            out += Self.bigEndian(UInt32(chunkSize))
            return out
        }

        var bytes: [UInt8] { prefix + keyCheck + [UInt8](repeating: 0, count: 7) }

        init(source: UInt8, iterations: Int, salt: [UInt8], noncePrefix: [UInt8], chunkSize: Int) {
            self.source = source
            self.iterations = iterations
            self.salt = salt
            self.noncePrefix = noncePrefix
            self.chunkSize = chunkSize
        }

        init(parsing bytes: [UInt8]) throws {
            guard bytes.count == ArchiveCipher.headerSize, Array(bytes[0..<8]) == ArchiveCipher.magic else {
                throw Failure("not a Keepwatch encrypted archive (no KWAEAD01 header)")
            }
            source = bytes[8]
            iterations = Int(Self.readUInt32(bytes, at: 9))
            salt = Array(bytes[13..<29])
            noncePrefix = Array(bytes[29..<37])
            chunkSize = Int(Self.readUInt32(bytes, at: 37))
            keyCheck = Array(bytes[41..<57])
            guard [1, 2].contains(source), chunkSize > 0, chunkSize <= 64 << 20, source == 2 || iterations >= 1 else {
                throw Failure("the encrypted archive's header is damaged")
            }
        }

        static func bigEndian(_ value: UInt32) -> [UInt8] {
            [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
        }

        static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
    }

    static func nonce(_ prefix: [UInt8], _ counter: UInt32) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: prefix + Header.bigEndian(counter))
    }

    static func keyCheck(_ key: SymmetricKey, prefix: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array("keepwatch key check".utf8) + prefix, using: key).prefix(16))
    }

    static func additionalData(_ header: [UInt8], final: Bool, counter: UInt32) -> [UInt8] {
        header + [final ? 1 : 0] + Header.bigEndian(counter)
    }
}

/// Seals plaintext chunks into records, after the header.
struct ArchiveSealer {
    let header: [UInt8]
    private let key: SymmetricKey
    private let noncePrefix: [UInt8]
    private var counter: UInt32 = 0

    init(key: ArchiveKey) async throws {
        let salt = Secrets.randomBytes(16)
        let iterations = { if case .raw = key { return 0 } else { return ArchiveCipher.iterations } }()
        var header = ArchiveCipher.Header(source: key.source, iterations: iterations, salt: key.source == 2 ? [UInt8](repeating: 0, count: 16) : salt,
                                          noncePrefix: Secrets.randomBytes(8), chunkSize: ArchiveCipher.chunkSize)
        let symmetric = try await key.symmetricKey(salt: header.salt, iterations: iterations)
        header.keyCheck = ArchiveCipher.keyCheck(symmetric, prefix: header.prefix)
        self.header = header.bytes
        self.noncePrefix = header.noncePrefix
        self.key = symmetric
    }

    mutating func seal(_ plaintext: UnsafeRawBufferPointer, final: Bool) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: try ArchiveCipher.nonce(noncePrefix, counter),
                                   authenticating: ArchiveCipher.additionalData(header, final: final, counter: counter))
        counter += 1
        var record: [UInt8] = [final ? 1 : 0]
        record.reserveCapacity(5 + plaintext.count + 16)
        record += ArchiveCipher.Header.bigEndian(UInt32(plaintext.count))
        record += box.ciphertext
        record += box.tag
        return record
    }
}

/// Opens records one by one; any failure is final.
struct ArchiveOpener {
    let header: ArchiveCipher.Header
    private let headerBytes: [UInt8]
    private let key: SymmetricKey
    private(set) var counter: UInt32 = 0
    private(set) var finished = false

    init(headerBytes: [UInt8], key: ArchiveKey) async throws {
        let header = try ArchiveCipher.Header(parsing: headerBytes)
        guard header.source == key.source else {
            throw ArchiveCipher.Failure(header.source == 1 ? "this archive was sealed with a passphrase: give encrypt_pass_file"
                                                           : "this archive was sealed with a key file: give encrypt_key_file")
        }
        let symmetric = try await key.symmetricKey(salt: header.salt, iterations: header.iterations)
        guard Secrets.constantTimeEqual(ArchiveCipher.keyCheck(symmetric, prefix: header.prefix), header.keyCheck) else {
            throw ArchiveCipher.Failure("wrong passphrase or key file: the archive's key check does not match")
        }
        self.header = header
        self.headerBytes = headerBytes
        self.key = symmetric
    }

    /// The plaintext of one record (`final` flag, ciphertext and tag as read).
    mutating func open(final: Bool, ciphertext: [UInt8], tag: [UInt8]) throws -> [UInt8] {
        guard !finished else { throw ArchiveCipher.Failure("the encrypted archive has data after its last record") }
        do {
            let box = try AES.GCM.SealedBox(nonce: try ArchiveCipher.nonce(header.noncePrefix, counter), ciphertext: ciphertext, tag: tag)
            let plaintext = try AES.GCM.open(box, using: key,
                                             authenticating: ArchiveCipher.additionalData(headerBytes, final: final, counter: counter))
            counter += 1
            finished = final
            return Array(plaintext)
        } catch {
            throw ArchiveCipher.Failure("the archive is damaged: record \(counter) fails authentication")
        }
    }
}
