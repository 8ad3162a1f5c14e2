/// How one kind of record is filtered and sorted: its filter keys, its sort fields with their default, and the key
/// that breaks ties so that a page is the same on every request. The views of every face use these through
/// `ListQuery.apply`, so `/proxy/*/list`, the native API and the page agree.
public struct ListSchema<Item>: Sendable {
    public enum SortKey: Comparable, Sendable {
        case number(Int64)
        case text(String)
    }

    /// Filter key → the item's value (nil: the item has none, so only an unrestricted filter passes).
    public var filterKeys: [String: @Sendable (Item) -> String?]
    /// Filter keys whose value is a list (`tags`).
    public var listKeys: [String: @Sendable (Item) -> [String]]
    public var sortFields: [String: @Sendable (Item) -> SortKey]
    public var defaultOrder: (field: String, descending: Bool)?
    public var tieBreak: @Sendable (Item) -> String

    public init(filterKeys: [String: @Sendable (Item) -> String?], listKeys: [String: @Sendable (Item) -> [String]] = [:],
                sortFields: [String: @Sendable (Item) -> SortKey], defaultOrder: (field: String, descending: Bool)?,
                tieBreak: @escaping @Sendable (Item) -> String) {
        self.filterKeys = filterKeys
        self.listKeys = listKeys
        self.sortFields = sortFields
        self.defaultOrder = defaultOrder
        self.tieBreak = tieBreak
    }
}

public enum ListQuery {
    public struct Page<Item> {
        /// How many items passed the filters, before paging.
        public var total: Int
        public var items: [Item]
        public var page: Int
        public var perPage: Int

        @inlinable
        init(total: Int, items: [Item], page: Int, perPage: Int) {
            self.total = total
            self.items = items
            self.page = page
            self.perPage = perPage
        }
    }

    /// Filters (each key by its first filter; different keys all apply), sorts (stable, ties broken by the schema's
    /// key) and pages. `page` 0 is page 1; `perPage` 0 returns everything; a page past the end is empty.
    @inlinable
    public static func apply<Item>(_ request: ListRequest, to items: [Item], schema: ListSchema<Item>) -> Page<Item> {
        let tests = effectiveFilters(request.filters, schema: schema).map { predicate($0, schema: schema) }
        var kept: [Item]
        switch tests.count {
        case 0: kept = items
        case 1: kept = items.filter(tests[0])
        default: kept = items.filter { item in tests.allSatisfy { $0(item) } }
        }
        let page = max(request.page, 1)
        guard request.perPage > 0 else {
            sort(&kept, request: request, schema: schema)
            return Page(total: kept.count, items: kept, page: page, perPage: 0)
        }
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: request.perPage)
        guard !overflow, start < kept.count else { return Page(total: kept.count, items: [], page: page, perPage: request.perPage) }
        let end = min(kept.count, start + request.perPage)
        // An early page of a long list needs only its first `end` items in order, not the whole list sorted.
        if end <= kept.count / 8 {
            let first = leading(end, of: kept, request: request, schema: schema)
            return Page(total: kept.count, items: Array(first[start..<end]), page: page, perPage: request.perPage)
        }
        sort(&kept, request: request, schema: schema)
        return Page(total: kept.count, items: Array(kept[start..<end]), page: page, perPage: request.perPage)
    }

    /// The first `count` items in the list's order (the same order `sort` gives), kept in a sorted buffer that an
    /// item enters only when it beats the buffer's last.
    @inlinable
    static func leading<Item>(_ count: Int, of items: [Item], request: ListRequest, schema: ListSchema<Item>) -> [Item] {
        let requested = request.ordering.flatMap { order in schema.sortFields[order.field] != nil ? order : nil }
        let order = requested ?? schema.defaultOrder
        let key = order.flatMap { schema.sortFields[$0.field] }
        let descending = order?.descending ?? false
        let tie = schema.tieBreak
        typealias Entry = (key: ListSchema<Item>.SortKey?, tie: String, item: Item)
        func precedes(_ left: Entry, _ right: Entry) -> Bool {
            if let leftKey = left.key, let rightKey = right.key, leftKey != rightKey {
                return descending ? leftKey > rightKey : leftKey < rightKey
            }
            return left.tie < right.tie
        }
        var best: [Entry] = []
        best.reserveCapacity(count + 1)
        for item in items {
            let itemKey = key.map { $0(item) }
            // Most items lose to the buffer's last on the key alone; only they skip building an entry.
            if best.count == count, let last = best.last, let itemKey, let lastKey = last.key, itemKey != lastKey,
               !(descending ? itemKey > lastKey : itemKey < lastKey) {
                continue
            }
            let entry: Entry = (itemKey, tie(item), item)
            if best.count == count, let last = best.last, !precedes(entry, last) { continue }
            var low = 0, high = best.count
            while low < high {
                let middle = (low + high) / 2
                if precedes(best[middle], entry) { low = middle + 1 } else { high = middle }
            }
            best.insert(entry, at: low)
            if best.count > count { best.removeLast() }
        }
        return best.map(\.item)
    }

    /// The first filter of each key the schema knows; filters on keys it does not know are ignored, as upstream.
    @inlinable
    static func effectiveFilters<Item>(_ filters: [ListFilter], schema: ListSchema<Item>) -> [ListFilter] {
        var seen: Set<String> = []
        var kept: [ListFilter] = []
        for filter in filters where schema.filterKeys[filter.key] != nil || schema.listKeys[filter.key] != nil {
            if seen.insert(filter.key).inserted { kept.append(filter) }
        }
        return kept
    }

    /// The filter as one test, its key looked up once per request rather than once per item.
    @inlinable
    static func predicate<Item>(_ filter: ListFilter, schema: ListSchema<Item>) -> (Item) -> Bool {
        if let list = schema.listKeys[filter.key] { return { filter.passes(all: list($0)) } }
        guard let read = schema.filterKeys[filter.key] else { return { _ in true } }
        let unrestricted = filter.value == nil && filter.values == nil
        if unrestricted { return { _ in true } }
        if let wanted = filter.value, filter.values == nil {
            return { item in read(item) == wanted }
        }
        return { item in
            guard let value = read(item) else { return false }
            return filter.passes(value)
        }
    }

    @inlinable
    static func sort<Item>(_ items: inout [Item], request: ListRequest, schema: ListSchema<Item>) {
        let requested = request.ordering.flatMap { order in schema.sortFields[order.field] != nil ? order : nil }
        let tie = schema.tieBreak
        guard let order = requested ?? schema.defaultOrder, let key = schema.sortFields[order.field] else {
            items.sort { tie($0) < tie($1) }
            return
        }
        let keyed = items.map { (key: key($0), tie: tie($0), item: $0) }
        let sorted = keyed.sorted { left, right in
            if left.key != right.key { return order.descending ? left.key > right.key : left.key < right.key }
            return left.tie < right.tie
        }
        items = sorted.map(\.item)
    }
}
