import Synchronization

/// How a list sorts an item on one field: numbers before nothing, texts by their characters.
public enum ListSortKey: Comparable, Sendable {
    case number(Int64)
    case text(String)
}

/// The values one group of items has for each filter key and sort field, read once and kept as compact columns:
/// a filter is then decided once per distinct value and a sort compares keys without touching the items. A group is
/// a list that does not change (one source's backups, say); whoever owns the items makes a new `ListColumns` when
/// they change. Columns are built on first use and shared by every request after.
public final class ListColumns: Sendable {
    public enum Column: Sendable {
        /// For each item, the index of its value in `distinct`.
        case values(codes: [UInt32], distinct: [String?])
        case lists(codes: [UInt32], distinct: [[String]])
        case sortKeys([ListSortKey])
    }

    private let built = Mutex<[String: Column]>([:])

    public init() {}

    /// The column named `name`, built by `make` the first time (two requests racing may both build it; one is kept).
    @inlinable
    public func column(_ name: String, make: () -> Column) -> Column {
        if let column = cached(name) { return column }
        return keep(name, make())
    }

    @usableFromInline
    func cached(_ name: String) -> Column? { built.withLock { $0[name] } }

    @usableFromInline
    func keep(_ name: String, _ column: Column) -> Column {
        built.withLock { columns in
            if let existing = columns[name] { return existing }
            columns[name] = column
            return column
        }
    }

    /// Codes for each item's value, values interned in order of first appearance.
    @inlinable
    public static func interned<Item, Value: Hashable>(_ items: [Item], _ read: (Item) -> Value) -> (codes: [UInt32], distinct: [Value]) {
        var index: [Value: UInt32] = [:]
        var distinct: [Value] = []
        var codes: [UInt32] = []
        codes.reserveCapacity(items.count)
        for item in items {
            let value = read(item)
            if let code = index[value] {
                codes.append(code)
            } else {
                let code = UInt32(truncatingIfNeeded: distinct.count)
                index[value] = code
                distinct.append(value)
                codes.append(code)
            }
        }
        return (codes, distinct)
    }
}

/// Items that are filtered and sorted together, with the columns kept for them.
public struct ListSegment<Item> {
    public let items: [Item]
    public let columns: ListColumns

    public init(items: [Item], columns: ListColumns = ListColumns()) {
        self.items = items
        self.columns = columns
    }
}
