/// Globally unique, time-ordered ids in the form cmon-proxy gives its controllers (rs/xid): 12 bytes — Unix seconds
/// (4, big-endian), a machine id (3), a process id (2) and a counter (3) — written as 20 characters of lowercase
/// base32hex (`0-9a-v`), e.g. `chebjd8gfi863qqhrolg`.
public enum XID {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuv".utf8)

    public static func make(seconds: UInt32, machine: UInt32, process: UInt16, counter: UInt32) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: seconds >> UInt32(shift))) }
        for shift in stride(from: 16, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: machine >> UInt32(shift))) }
        bytes.append(UInt8(truncatingIfNeeded: process >> 8))
        bytes.append(UInt8(truncatingIfNeeded: process))
        for shift in stride(from: 16, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: counter >> UInt32(shift))) }
        return encode(bytes)
    }

    /// Base32hex of 12 bytes (96 bits → 20 characters, the last carrying 1 bit), without padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The Unix seconds an id was made at, if it is a well-formed id.
    public static func seconds(of id: String) -> UInt32? {
        guard isValid(id) else { return nil }
        var value: UInt64 = 0
        for character in id.utf8.prefix(7) {
            guard let digit = alphabet.firstIndex(of: character) else { return nil }
            value = value << 5 | UInt64(digit)
        }
        return UInt32(truncatingIfNeeded: value >> 3)
    }

    public static func isValid(_ id: String) -> Bool {
        id.utf8.count == 20 && id.utf8.allSatisfy { alphabet.contains($0) }
    }
}
