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
    }

    /// Filters (each key by its first filter; different keys all apply), sorts (stable, ties broken by the schema's
    /// key) and pages. `page` 0 is page 1; `perPage` 0 returns everything; a page past the end is empty.
    public static func apply<Item>(_ request: ListRequest, to items: [Item], schema: ListSchema<Item>) -> Page<Item> {
        let filters = effectiveFilters(request.filters, schema: schema)
        var kept = items.filter { item in filters.allSatisfy { passes(item, $0, schema: schema) } }
        sort(&kept, request: request, schema: schema)
        let page = max(request.page, 1)
        guard request.perPage > 0 else { return Page(total: kept.count, items: kept, page: page, perPage: 0) }
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: request.perPage)
        guard !overflow, start < kept.count else { return Page(total: kept.count, items: [], page: page, perPage: request.perPage) }
        let end = min(kept.count, start + request.perPage)
        return Page(total: kept.count, items: Array(kept[start..<end]), page: page, perPage: request.perPage)
    }

    /// The first filter of each key the schema knows; filters on keys it does not know are ignored, as upstream.
    static func effectiveFilters<Item>(_ filters: [ListFilter], schema: ListSchema<Item>) -> [ListFilter] {
        var seen: Set<String> = []
        var kept: [ListFilter] = []
        for filter in filters where schema.filterKeys[filter.key] != nil || schema.listKeys[filter.key] != nil {
            if seen.insert(filter.key).inserted { kept.append(filter) }
        }
        return kept
    }

    static func passes<Item>(_ item: Item, _ filter: ListFilter, schema: ListSchema<Item>) -> Bool {
        if let list = schema.listKeys[filter.key] { return filter.passes(all: list(item)) }
        guard let read = schema.filterKeys[filter.key] else { return true }
        guard let value = read(item) else { return filter.value == nil && filter.values == nil }
        return filter.passes(value)
    }

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
