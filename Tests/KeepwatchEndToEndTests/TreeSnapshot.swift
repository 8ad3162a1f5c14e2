import Foundation

/// A directory tree as a test compares it: every path with its kind, permission bits and contents.
struct TreeSnapshot: Equatable, CustomStringConvertible {
    struct Entry: Equatable {
        let directory: Bool
        let mode: Int
        let contents: Data?
    }

    let entries: [String: Entry]

    init(_ root: String) throws {
        var entries: [String: Entry] = [:]
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else {
            self.entries = [:]
            return
        }
        while let relative = walker.nextObject() as? String {
            let path = base + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let directory = attributes[.type] as? FileAttributeType == .typeDirectory
            let mode = (attributes[.posixPermissions] as? Int) ?? 0
            entries[relative] = Entry(directory: directory, mode: mode, contents: directory ? nil : FileManager.default.contents(atPath: path))
        }
        self.entries = entries
    }

    var description: String {
        entries.sorted { $0.key < $1.key }.map { key, entry in
            "\(key) \(String(entry.mode, radix: 8)) \(entry.directory ? "dir" : "\(entry.contents?.count ?? 0) B")"
        }.joined(separator: ", ")
    }
}
