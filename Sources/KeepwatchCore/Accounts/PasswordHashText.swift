/// The stored form of a password hash, cmon-proxy's `hex(salt):iterations:hex(key)` (PBKDF2-HMAC-SHA256).
/// Keepwatch writes 16-byte salts and 600,000 iterations; older, cheaper hashes are read and upgraded on login.
public struct PasswordHashText: Sendable, Hashable {
    public var salt: [UInt8]
    public var iterations: Int
    public var key: [UInt8]

    public static let minimumIterations = 600_000
    public static let saltBytes = 16
    public static let keyBytes = 32

    public init(salt: [UInt8], iterations: Int, key: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.key = key
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let iterations = Int(parts[1]), iterations > 0, iterations <= 100_000_000,
              let salt = Hex.decode(parts[0]), !salt.isEmpty, let key = Hex.decode(parts[2]), !key.isEmpty else { return nil }
        self.init(salt: salt, iterations: iterations, key: key)
    }

    public var text: String { "\(Hex.encode(salt)):\(iterations):\(Hex.encode(key))" }

    /// Whether a hash is weaker than what Keepwatch writes today.
    public var needsUpgrade: Bool {
        iterations < Self.minimumIterations || salt.count < Self.saltBytes || key.count < Self.keyBytes
    }
}

public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: Substring) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var index = 0
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
