/// Reads the binary time zone files of the IANA database (RFC 8536, versions 1–4).
enum TZifParser {
    struct Contents {
        var transitions: [Int64]
        var offsets: [Int64]
        var footer: String?
    }

    enum Failure: Error, CustomStringConvertible {
        case malformed(String)
        var description: String {
            switch self { case .malformed(let why): return "not a valid TZif file: \(why)" }
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, position + count <= bytes.count else { throw Failure.malformed("truncated") }
            defer { position += count }
            return bytes[position..<position + count]
        }

        mutating func bigEndian(_ width: Int) throws -> Int64 {
            let slice = try take(width)
            var value: UInt64 = 0
            for byte in slice { value = value << 8 | UInt64(byte) }
            let shift = UInt64(64 - width * 8)
            return Int64(bitPattern: value << shift) >> Int64(shift)
        }
    }

    private struct Counts {
        var isUT, isStd, leap, time, type, chars: Int
    }

    static func parse(_ bytes: [UInt8]) throws -> Contents {
        var reader = Reader(bytes: bytes)
        var (version, counts) = try header(&reader)
        if version >= 2 {
            reader.position += dataLength(counts, timeWidth: 4)
            (version, counts) = try header(&reader)
            return try body(&reader, counts, timeWidth: 8, readFooter: true)
        }
        return try body(&reader, counts, timeWidth: 4, readFooter: false)
    }

    private static func header(_ reader: inout Reader) throws -> (Int, Counts) {
        guard Array(try reader.take(4)) == Array("TZif".utf8) else { throw Failure.malformed("bad magic") }
        let versionByte = try reader.take(1).first ?? 0
        let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        _ = try reader.take(15)
        var values: [Int] = []
        for _ in 0..<6 {
            let value = try reader.bigEndian(4)
            guard value >= 0, value < 1 << 20 else { throw Failure.malformed("bad count") }
            values.append(Int(value))
        }
        return (version, Counts(isUT: values[0], isStd: values[1], leap: values[2],
                                time: values[3], type: values[4], chars: values[5]))
    }

    private static func dataLength(_ c: Counts, timeWidth: Int) -> Int {
        c.time * timeWidth + c.time + c.type * 6 + c.chars + c.leap * (timeWidth + 4) + c.isStd + c.isUT
    }

    private static func body(_ reader: inout Reader, _ c: Counts, timeWidth: Int, readFooter: Bool) throws -> Contents {
        guard c.type > 0 else { throw Failure.malformed("no local time types") }
        var times: [Int64] = []
        for _ in 0..<c.time { times.append(try reader.bigEndian(timeWidth)) }
        let typeIndices = Array(try reader.take(c.time))
        var typeOffsets: [Int64] = []
        for _ in 0..<c.type {
            typeOffsets.append(try reader.bigEndian(4))
            _ = try reader.take(2)
        }
        _ = try reader.take(c.chars + c.leap * (timeWidth + 4) + c.isStd + c.isUT)
        var offsets: [Int64] = [typeOffsets[0]]
        for index in typeIndices {
            guard Int(index) < typeOffsets.count else { throw Failure.malformed("bad type index") }
            offsets.append(typeOffsets[Int(index)])
        }
        var footer: String?
        if readFooter, reader.position < reader.bytes.count {
            let rest = reader.bytes[reader.position...].dropFirst()
            let line = rest.prefix { $0 != UInt8(ascii: "\n") }
            footer = line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
        }
        return Contents(transitions: times, offsets: offsets, footer: footer)
    }
}
