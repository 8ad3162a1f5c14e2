/// How one kind of record is filtered and sorted: its filter keys, its sort fields with their default, and the key
/// that breaks ties so that a page is the same on every request. The views of every face use these through
/// `ListQuery.apply`, so `/proxy/*/list`, the native API and the page agree.
public struct ListSchema<Item>: Sendable {
    public typealias SortKey = ListSortKey
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

    /// An item passed the filters: which segment, which item of it.
    @usableFromInline
    struct Position {
        @usableFromInline var segment: Int32
        @usableFromInline var index: Int32

        @inlinable
        init(segment: Int, index: Int) {
            self.segment = Int32(truncatingIfNeeded: segment)
            self.index = Int32(truncatingIfNeeded: index)
        }
    }

    @inlinable
    public static func apply<Item>(_ request: ListRequest, to items: [Item], schema: ListSchema<Item>) -> Page<Item> {
        apply(request, to: [ListSegment(items: items)], schema: schema)
    }

    /// Filters (each key by its first filter; different keys all apply), sorts (stable, ties broken by the schema's
    /// key) and pages. `page` 0 is page 1; `perPage` 0 returns everything; a page past the end is empty. The segments
    /// are listed as one; each keeps the columns its filters and sort read, so a second request reads no item twice.
    @inlinable
    public static func apply<Item>(_ request: ListRequest, to segments: [ListSegment<Item>], schema: ListSchema<Item>) -> Page<Item> {
        let (kept, total) = passing(effectiveFilters(request.filters, schema: schema), in: segments, schema: schema)
        let page = max(request.page, 1)
        let order = ordering(request, schema: schema)
        func items(_ positions: ArraySlice<Position>) -> [Item] {
            positions.map { segments[Int($0.segment)].items[Int($0.index)] }
        }
        guard request.perPage > 0 else {
            return Page(total: total, items: items(sorted(kept, order: order, segments: segments, schema: schema)[...]),
                        page: page, perPage: 0)
        }
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: request.perPage)
        guard !overflow, start < total else { return Page(total: total, items: [], page: page, perPage: request.perPage) }
        let end = min(total, start + request.perPage)
        // An early page of a long list needs only its first `end` items in order, not the whole list sorted.
        let ordered = end <= total / 8 ? leading(end, of: kept, order: order, segments: segments, schema: schema)
                                       : sorted(kept, order: order, segments: segments, schema: schema)
        return Page(total: total, items: items(ordered[start..<end]), page: page, perPage: request.perPage)
    }

    /// For each segment, which of its items every filter passes, and how many pass in all. Each filter is decided
    /// once per distinct value of its key in a segment.
    @inlinable
    static func passing<Item>(_ filters: [ListFilter], in segments: [ListSegment<Item>], schema: ListSchema<Item>) -> (masks: [[Bool]], total: Int) {
        var total = 0
        let masks = segments.map { segment in
            var passes = [Bool](repeating: true, count: segment.items.count)
            for filter in filters {
                let (codes, decided) = test(filter, on: segment, schema: schema)
                codes.withUnsafeBufferPointer { codes in
                    decided.withUnsafeBufferPointer { decided in
                        for index in passes.indices where passes[index] { passes[index] = decided[Int(codes[index])] }
                    }
                }
            }
            total += filters.isEmpty ? passes.count : passes.reduce(0) { $0 + ($1 ? 1 : 0) }
            return passes
        }
        return (masks, total)
    }

    /// A filter decided for each distinct value of its key in one segment.
    @inlinable
    static func test<Item>(_ filter: ListFilter, on segment: ListSegment<Item>, schema: ListSchema<Item>) -> (codes: [UInt32], passes: [Bool]) {
        if let list = schema.listKeys[filter.key] {
            let column = segment.columns.column("l:" + filter.key) {
                let (codes, distinct) = ListColumns.interned(segment.items, list)
                return .lists(codes: codes, distinct: distinct)
            }
            guard case .lists(let codes, let distinct) = column else { return ([], []) }
            return (codes, distinct.map { filter.passes(all: $0) })
        }
        guard let read = schema.filterKeys[filter.key] else { return (Array(repeating: 0, count: segment.items.count), [true]) }
        let column = segment.columns.column("f:" + filter.key) {
            let (codes, distinct) = ListColumns.interned(segment.items, read)
            return .values(codes: codes, distinct: distinct)
        }
        guard case .values(let codes, let distinct) = column else { return ([], []) }
        let passes = valueTest(filter)
        return (codes, distinct.map(passes))
    }

    /// Whether an item's value passes the filter (nil: the item has none, so only an unrestricted filter passes).
    @inlinable
    static func valueTest(_ filter: ListFilter) -> (String?) -> Bool {
        if filter.value == nil && filter.values == nil { return { _ in true } }
        if let wanted = filter.value, filter.values == nil { return { $0 == wanted } }
        return { value in value.map(filter.passes) ?? false }
    }

    /// The requested order when the schema knows its field, else the schema's default.
    @inlinable
    static func ordering<Item>(_ request: ListRequest, schema: ListSchema<Item>) -> (field: String, descending: Bool)? {
        let requested = request.ordering.flatMap { order in schema.sortFields[order.field] != nil ? order : nil }
        return requested ?? schema.defaultOrder
    }

    /// Each segment's keys for the order's field (nil without an order: ties alone decide).
    @inlinable
    static func sortKeys<Item>(_ order: (field: String, descending: Bool)?, segments: [ListSegment<Item>],
                               schema: ListSchema<Item>) -> [[ListSortKey]]? {
        guard let order, let key = schema.sortFields[order.field] else { return nil }
        return segments.map { segment in
            guard case .sortKeys(let keys) = segment.columns.column("s:" + order.field, make: { .sortKeys(segment.items.map(key)) }) else {
                return segment.items.map(key)
            }
            return keys
        }
    }

    @inlinable
    static func sorted<Item>(_ kept: [[Bool]], order: (field: String, descending: Bool)?, segments: [ListSegment<Item>],
                             schema: ListSchema<Item>) -> [Position] {
        let keys = sortKeys(order, segments: segments, schema: schema)
        let descending = order?.descending ?? false
        let tie = schema.tieBreak
        var entries: [(key: ListSortKey?, tie: String, position: Position)] = []
        for (number, mask) in kept.enumerated() {
            let items = segments[number].items
            let segmentKeys = keys?[number]
            for index in mask.indices where mask[index] {
                entries.append((segmentKeys?[index], tie(items[index]), Position(segment: number, index: index)))
            }
        }
        return entries.sorted { left, right in
            if let leftKey = left.key, let rightKey = right.key, leftKey != rightKey {
                return descending ? leftKey > rightKey : leftKey < rightKey
            }
            return left.tie < right.tie
        }.map(\.position)
    }

    /// The first `count` items in the list's order (the same order `sorted` gives), kept in a sorted buffer that an
    /// item enters only when it beats the buffer's last.
    @inlinable
    static func leading<Item>(_ count: Int, of kept: [[Bool]], order: (field: String, descending: Bool)?,
                              segments: [ListSegment<Item>], schema: ListSchema<Item>) -> [Position] {
        let keys = sortKeys(order, segments: segments, schema: schema)
        let descending = order?.descending ?? false
        let tie = schema.tieBreak
        typealias Entry = (key: ListSortKey?, tie: String, position: Position)
        func precedes(_ left: Entry, _ right: Entry) -> Bool {
            if let leftKey = left.key, let rightKey = right.key, leftKey != rightKey {
                return descending ? leftKey > rightKey : leftKey < rightKey
            }
            return left.tie < right.tie
        }
        var best: [Entry] = []
        best.reserveCapacity(count + 1)
        for (number, mask) in kept.enumerated() {
            let items = segments[number].items
            let segmentKeys = keys?[number]
            for index in mask.indices where mask[index] {
                let itemKey = segmentKeys?[index]
                // Most items lose to the buffer's last on the key alone; only they skip building an entry.
                if best.count == count, let last = best.last, let itemKey, let lastKey = last.key, itemKey != lastKey,
                   !(descending ? itemKey > lastKey : itemKey < lastKey) {
                    continue
                }
                let entry: Entry = (itemKey, tie(items[index]), Position(segment: number, index: index))
                if best.count == count, let last = best.last, !precedes(entry, last) { continue }
                var low = 0, high = best.count
                while low < high {
                    let middle = (low + high) / 2
                    if precedes(best[middle], entry) { low = middle + 1 } else { high = middle }
                }
                best.insert(entry, at: low)
                if best.count > count { best.removeLast() }
            }
        }
        return best.map(\.position)
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
}
