import KeepwatchCore

/// The list columns of one source's snapshot, one set per list; a new snapshot gets new, empty ones.
public final class HubColumns: Sendable {
    let byKind: [HubLists.Kind: ListColumns]

    init() {
        byKind = Dictionary(uniqueKeysWithValues: HubLists.Kind.allCases.map { ($0, ListColumns()) })
    }

    func columns(_ kind: HubLists.Kind) -> ListColumns { byKind[kind] ?? ListColumns() }
}
