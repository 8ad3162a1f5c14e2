/// Cuts a byte stream into lines at `\n` (dropping a `\r` before it), however the chunks fall: a line or a
/// multi-byte character split across two chunks comes out whole.
struct LineSplitter {
    private var pending: [UInt8] = []

    /// The lines that `bytes` completes.
    mutating func append(_ bytes: [UInt8]) -> [String] {
        pending += bytes
        var lines: [String] = []
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(Self.text(pending[start..<newline]))
            start = pending.index(after: newline)
        }
        pending.removeSubrange(pending.startIndex..<start)
        return lines
    }

    /// What is left after the last line break, if anything.
    mutating func finish() -> String? {
        defer { pending = [] }
        return pending.isEmpty ? nil : Self.text(pending[...])
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        let line = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
        return String(decoding: line, as: UTF8.self)
    }
}
