import KeepwatchCore
@testable import KeepwatchHub
import Testing

/// The `/proxy/*/list` replies: stable order with ties broken, paging fields, `last_updated` by URL.
struct HubListsTests {
    static func state(xid: String, url: String, backups: [(id: Int64, status: String, created: Int64)]) throws -> SourceState {
        let definition = try SourceDefinition(json: ["url": .string(url)], xid: xid)
        var state = SourceState(definition: definition)
        let ref = SourceRef(xid: xid, controllerID: "c", url: definition.url, kind: .cmon)
        let context = ClusterContext(source: ref, clusterID: 1, clusterType: "REPLICATION", tags: ["prod"])
        state.snapshot.backups = backups.map { BackupItem(context: context, backupID: $0.id, status: $0.status, method: "full",
                                                          created: $0.created, text: "{\"id\":\($0.id)}") }
        state.snapshot.backupsUpdated = "2026-12-01T00:00:00Z"
        return state
    }

    static func ids(_ text: String) -> [Int64] {
        let value = try? JSONParser.parse(bytes: Array(text.utf8))
        return value?["backups"]?.arrayValue?.compactMap { $0["id"]?.int64Value } ?? []
    }

    @Test func equalSortKeysKeepOneOrderOnEveryRequest() throws {
        let states = [try Self.state(xid: "bbbbbbbbbbbbbbbbbbbb", url: "b:1", backups: [(3, "Completed", 100), (1, "Completed", 100)]),
                      try Self.state(xid: "aaaaaaaaaaaaaaaaaaaa", url: "a:1", backups: [(2, "Completed", 100)])]
        let request = ListRequest(order: "status")
        let first = Self.ids(HubLists.reply(.backups, request: request, states: states))
        #expect(first == [2, 1, 3], "ties broken by source xid, then id")
        #expect(Self.ids(HubLists.reply(.backups, request: request, states: states.reversed())) == first)
    }

    @Test func pagingFieldsAppearWhenPagingAndLastUpdatedIsByURL() throws {
        let states = [try Self.state(xid: "aaaaaaaaaaaaaaaaaaaa", url: "a:1", backups: [(1, "Completed", 300), (2, "Failed", 200), (3, "Completed", 100)])]
        let text = HubLists.reply(.backups, request: ListRequest(page: 2, perPage: 2), states: states)
        let value = try JSONParser.parse(bytes: Array(text.utf8))
        #expect(Self.ids(text) == [3])
        #expect(value["page"] == 2 && value["perPage"] == 2 && value["total"] == 3)
        #expect(value["last_updated"]?["a:1"] == "2026-12-01T00:00:00Z")
        let unpaged = try JSONParser.parse(bytes: Array(HubLists.reply(.backups, request: ListRequest(), states: states).utf8))
        #expect(unpaged["page"] == nil && unpaged["perPage"] == nil)
        let filtered = HubLists.reply(.backups, request: ListRequest(filters: [ListFilter(key: "xid", value: "other")]), states: states)
        #expect(try JSONParser.parse(bytes: Array(filtered.utf8))["last_updated"] == .object([:]), "a source the filters exclude is not listed")
    }
}
