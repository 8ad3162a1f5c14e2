/// Rows of text printed in aligned columns two spaces apart, the header first; every table of the CLI uses it.
struct TextTable {
    private let header: [String]
    private var rows: [[String]] = []

    init(_ header: [String]) {
        self.header = header
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// Each column as wide as its widest cell; the last column is not padded, so lines carry no trailing spaces.
    var rendered: String {
        let all = ([header] + rows).map { row in row.map(Self.oneLine) }
        let columns = all.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { (row: [String]) -> String in
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: max(widths[index] - cell.count, 0))
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    func print() {
        Swift.print(rendered)
    }

    /// Tabs and line breaks inside a cell would break the columns.
    private static func oneLine(_ cell: String) -> String {
        String(cell.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
