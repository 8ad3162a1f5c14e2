import KeepwatchCore
import Synchronization

/// The list columns of one source's snapshot, one set per list, and its board; a new snapshot gets new, empty ones.
public final class HubColumns: Sendable {
    let byKind: [HubLists.Kind: ListColumns]
    private let board = Mutex<[BoardTarget]?>(nil)

    init() {
        byKind = Dictionary(uniqueKeysWithValues: HubLists.Kind.allCases.map { ($0, ListColumns()) })
    }

    func columns(_ kind: HubLists.Kind) -> ListColumns { byKind[kind] ?? ListColumns() }

    /// The snapshot's board targets, built by `make` the first time.
    func boardTargets(_ make: () -> [BoardTarget]) -> [BoardTarget] {
        if let built = board.withLock({ $0 }) { return built }
        let built = make()
        board.withLock { $0 = $0 ?? built }
        return built
    }
}
