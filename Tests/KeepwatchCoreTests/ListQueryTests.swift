import KeepwatchCore
import Testing

/// cmon-proxy's list rules, with its defects fixed: page 0 is page 1, an empty value does not pass a filter, sorting
/// is stable with a tie-break, and every filter key applies.
struct ListQueryTests {
    struct Backup: Sendable {
        var xid: String
        var id: Int64
        var status: String
        var created: Int64
        var tags: [String]
    }

    static let schema = ListSchema<Backup>(
        filterKeys: ["xid": { $0.xid }, "status": { $0.status.isEmpty ? nil : $0.status }, "backup_id": { String($0.id) }],
        listKeys: ["tags": { $0.tags }],
        sortFields: ["created": { .number($0.created) }, "status": { .text($0.status) }, "backup_id": { .number($0.id) }],
        defaultOrder: ("created", true),
        tieBreak: { "\($0.xid)-\($0.id)" })

    static let backups = [
        Backup(xid: "a", id: 1, status: "Completed", created: 100, tags: ["prod", "eu"]),
        Backup(xid: "a", id: 2, status: "Failed", created: 200, tags: ["prod"]),
        Backup(xid: "b", id: 3, status: "Completed", created: 200, tags: ["test"]),
        Backup(xid: "b", id: 4, status: "", created: 50, tags: []),
        Backup(xid: "c", id: 5, status: "Completed", created: 300, tags: ["prod", "eu", "db"]),
    ]

    func ids(_ request: ListRequest) -> [Int64] { ListQuery.apply(request, to: Self.backups, schema: Self.schema).items.map(\.id) }

    @Test func theDefaultOrderIsNewestFirstWithTiesBrokenTheSameWayEveryTime() {
        #expect(ids(ListRequest()) == [5, 2, 3, 1, 4], "created desc; 2 and 3 tie at 200 and are ordered by xid-id")
        #expect(ids(ListRequest(order: "created")) == [4, 1, 2, 3, 5])
        #expect(ids(ListRequest(order: "nonsense desc")) == [5, 2, 3, 1, 4], "an unknown field falls back to the default")
        #expect(ids(ListRequest(order: "status desc")) == [2, 1, 3, 5, 4])
    }

    @Test func pageZeroIsPageOneAndPagesPastTheEndAreEmpty() {
        #expect(ids(ListRequest(page: 0, perPage: 2)) == [5, 2])
        #expect(ids(ListRequest(page: 1, perPage: 2)) == [5, 2])
        #expect(ids(ListRequest(page: 3, perPage: 2)) == [4])
        #expect(ids(ListRequest(page: 4, perPage: 2)) == [])
        #expect(ids(ListRequest(page: 1_000_000_000, perPage: 1_000_000_000)) == [], "no overflow")
        let page = ListQuery.apply(ListRequest(page: 2, perPage: 2, filters: [ListFilter(key: "xid", values: ["a", "b"])]),
                                   to: Self.backups, schema: Self.schema)
        #expect(page.total == 4 && page.items.map(\.id) == [1, 4], "total counts after filtering, before paging")
    }

    @Test func anEmptyValueDoesNotPassAFilterAndEveryKeyApplies() {
        #expect(ids(ListRequest(filters: [ListFilter(key: "status", value: "Completed")])) == [5, 3, 1], "id 4 has no status")
        #expect(ids(ListRequest(filters: [ListFilter(key: "status", value: "Completed"), ListFilter(key: "xid", value: "b")])) == [3])
        #expect(ids(ListRequest(filters: [ListFilter(key: "xid", value: "a"), ListFilter(key: "xid", value: "c")])) == [2, 1],
                "the first filter of a key decides")
        #expect(ids(ListRequest(filters: [ListFilter(key: "backup_id", values: ["3", "5"])])) == [5, 3])
        #expect(ids(ListRequest(filters: [ListFilter(key: "unknown", value: "x")])).count == 5, "unknown keys are ignored")
    }

    @Test func tagsMatchAnyOrAll() {
        #expect(ids(ListRequest(filters: [ListFilter(key: "tags", matchAll: ["prod", "eu"])])) == [5, 1])
        #expect(ids(ListRequest(filters: [ListFilter(key: "tags", values: ["test", "db"])])) == [5, 3])
    }

    @Test func theJSONBodyIsReadWithFieldsNamed() throws {
        let request = try ListRequest(json: ["page": 2, "perPage": 10, "order": "created desc",
                                             "filters": [["key": "cluster_id", "value": 234], ["key": "tags", "matchall": ["a", "b"]]]])
        #expect(request == ListRequest(page: 2, perPage: 10, order: "created desc",
                                       filters: [ListFilter(key: "cluster_id", value: "234"), ListFilter(key: "tags", matchAll: ["a", "b"])]))
        #expect(throws: DocumentError(field: "perPage", "must be a whole number from 0 to 1000000000")) { try ListRequest(json: ["perPage": -1]) }
        #expect(throws: DocumentError(field: "filters[0].key", "is required")) { try ListRequest(json: ["filters": [["value": "x"]]]) }
        #expect(throws: DocumentError(field: "", "a list request must be a JSON object, not an array")) { try ListRequest(json: [1]) }
    }

    @Test func segmentsListAsOneAndTheirColumnsServeLaterRequestsTheSame() {
        let segments = [ListSegment(items: Array(Self.backups[0..<2])), ListSegment(items: []), ListSegment(items: Array(Self.backups[2...]))]
        let requests = [
            ListRequest(), ListRequest(order: "status desc"), ListRequest(page: 2, perPage: 2),
            ListRequest(filters: [ListFilter(key: "status", value: "Completed"), ListFilter(key: "tags", matchAll: ["prod"])]),
            ListRequest(perPage: 1, order: "backup_id", filters: [ListFilter(key: "xid", values: ["b", "c"])]),
            ListRequest(filters: [ListFilter(key: "status", values: ["Failed", ""])]),
        ]
        for request in requests {
            let whole = ListQuery.apply(request, to: Self.backups, schema: Self.schema)
            for _ in 0..<2 {
                let split = ListQuery.apply(request, to: segments, schema: Self.schema)
                #expect(split.items.map(\.id) == whole.items.map(\.id) && split.total == whole.total, "\(request)")
            }
        }
        #expect(ListQuery.apply(ListRequest(filters: [ListFilter(key: "status", values: ["Failed", ""])]), to: segments,
                                schema: Self.schema).items.map(\.id) == [2], "an item without a value passes no restricted filter")
    }

    @Test func anEarlyPageOfALongListIsTheSameAsTheSortedListsPage() {
        let many: [Backup] = (0..<400).map { (number: Int) -> Backup in
            Backup(xid: "x\(number % 7)", id: Int64(number), status: number % 3 == 0 ? "Failed" : "Completed", created: Int64(number % 50), tags: [])
        }
        let segments: [ListSegment<Backup>] = stride(from: 0, to: 400, by: 40).map { ListSegment(items: Array(many[$0..<$0 + 40])) }
        for order in ["created desc", "created", "status", "backup_id desc"] {
            let early = ListQuery.apply(ListRequest(page: 2, perPage: 10, order: order), to: segments, schema: Self.schema)
            let all = ListQuery.apply(ListRequest(order: order), to: segments, schema: Self.schema)
            let earlyIDs = early.items.map { $0.id }
            let allIDs = all.items.map { $0.id }
            #expect(earlyIDs == Array(allIDs[10..<20]), "\(order)")
        }
    }
}
