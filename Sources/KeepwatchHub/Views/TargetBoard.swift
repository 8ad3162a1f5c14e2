import KeepwatchCore

/// How a backup target looks at a glance, with Ethoscope's colours. The cases are in "worst first" order.
public enum BoardState: String, Sendable, CaseIterable, Comparable {
    /// The last run or backup failed (red).
    case error
    /// The source did not answer its last refresh: what it held is shown, greyed (dark grey).
    case offline
    /// Stale, degraded or partly backed up (golden).
    case partial
    /// Nothing known yet: no run, no backup (grey).
    case unknown
    /// A backup is running now (orange, breathing).
    case running
    /// The last backup succeeded (green).
    case success

    public var rank: Int {
        switch self {
        case .error: return 0
        case .offline: return 1
        case .partial: return 2
        case .unknown: return 3
        case .running: return 4
        case .success: return 5
        }
    }

    public static func < (lhs: BoardState, rhs: BoardState) -> Bool { lhs.rank < rhs.rank }

    /// A local run's colour, the rule the board applies to a job's last run: an aborted run left no good backup,
    /// so it is an error like a failed one.
    public init(run status: Run.Status?) {
        switch status.map(KeepwatchTargets.outcome) {
        case .running: self = .running
        case .success: self = .success
        case .failure: self = .error
        case .unknown, nil: self = .unknown
        }
    }

    /// Words for the dot's tooltip, so colour is never the only signal.
    public var meaning: String {
        switch self {
        case .error: return "the last backup failed"
        case .offline: return "the source is not answering; last known data"
        case .partial: return "stale or partly backed up"
        case .unknown: return "no backup known yet"
        case .running: return "a backup is running"
        case .success: return "the last backup succeeded"
        }
    }
}

/// One backup target (a cluster, a job, an mgob plan, a device) as the overview shows it. A class: boards of
/// 10,000 targets are filtered and paged on every read, and moving a reference is cheaper than copying the fields.
public final class BoardTarget: Sendable {
    public let sourceXID: String
    public let sourceName: String
    public let kind: SourceDefinition.Kind
    public let targetID: Int64
    public let name: String
    /// The remote's own id of the target (a Keepwatch job id), or "".
    public let reference: String
    public let type: String
    public let tags: [String]
    /// Its state while the source answers (`offline` is applied when the board is read).
    public let ownState: BoardState
    public let detail: String
    /// Unix seconds of the newest good backup (or successful run).
    public let lastGood: Int64?
    /// Lower case, for the search box.
    let searchText: String

    init(source: SourceState, cluster: ClusterItem, state: BoardState, detail: String, lastGood: Int64?) {
        sourceXID = source.xid
        sourceName = source.definition.name
        kind = source.definition.kind
        targetID = cluster.clusterID
        name = cluster.name
        reference = cluster.reference
        type = cluster.clusterType
        tags = cluster.tags
        ownState = state
        self.detail = detail
        self.lastGood = lastGood
        searchText = ([cluster.name, cluster.reference, cluster.clusterType, source.definition.name] + cluster.tags).joined(separator: " ").lowercased()
    }
}

/// The rules that turn each source's snapshot into board targets, worked out once per snapshot.
public enum TargetBoard {
    static func targets(of source: SourceState) -> [BoardTarget] {
        source.columns.boardTargets { build(source) }
    }

    static func build(_ source: SourceState) -> [BoardTarget] {
        let snapshot = source.snapshot
        let running = Set(snapshot.jobs.lazy.filter { $0.status == "RUNNING" }.map(\.context.clusterID))
        var newest: [Int64: BackupItem] = [:]
        var newestGood: [Int64: Int64] = [:]
        for backup in snapshot.backups {
            let cluster = backup.context.clusterID
            if let known = newest[cluster], known.created >= backup.created {} else { newest[cluster] = backup }
            if backup.status == "Completed" { newestGood[cluster] = max(newestGood[cluster] ?? 0, backup.created) }
        }
        let targets = snapshot.clusters.map { cluster in
            let lastGood = [cluster.lastSuccess, newestGood[cluster.clusterID]].compactMap { $0 }.max()
            let state = state(of: cluster, kind: source.definition.kind, running: running.contains(cluster.clusterID),
                              newestBackup: newest[cluster.clusterID])
            return BoardTarget(source: source, cluster: cluster, state: state, detail: detail(cluster, state, kind: source.definition.kind),
                               lastGood: lastGood)
        }
        // By name, then id: the board keeps this order among targets of one source in one state.
        return targets.sorted { ($0.name, $0.targetID) < ($1.name, $1.targetID) }
    }

    /// A running backup shows as running; otherwise the target's state word decides, and for a ClusterControl
    /// cluster (whose state says nothing of backups) its newest backup: failed is an error, none is unknown.
    static func state(of cluster: ClusterItem, kind: SourceDefinition.Kind, running: Bool, newestBackup: BackupItem?) -> BoardState {
        if running { return .running }
        switch cluster.state.uppercased() {
        case "FAILURE", "FAILED", "ERROR", "FAILURE_STATE": return .error
        case "DEGRADED", "PARTIAL": return .partial
        case "STARTED", "SUCCESS", "OK":
            guard kind == .cmon else { return .success }
            guard let newestBackup else { return .unknown }
            return newestBackup.status == "Completed" ? .success : .error
        default: return .unknown
        }
    }

    /// The remote's words for a target that is not fine; a ClusterControl cluster's own state word otherwise
    /// (cmon's states say something of the cluster); for the other kinds, what the board state means.
    static func detail(_ cluster: ClusterItem, _ state: BoardState, kind: SourceDefinition.Kind) -> String {
        if !cluster.statusText.isEmpty && state != .success { return cluster.statusText }
        if kind == .cmon && !cluster.state.isEmpty { return cluster.state }
        return state.meaning
    }

    /// Every source's targets with the source's availability applied, in source order.
    public static func all(_ states: [SourceState]) -> [(target: BoardTarget, state: BoardState)] {
        var all: [(target: BoardTarget, state: BoardState)] = []
        for source in states {
            let offline = source.status != .ok && source.lastUpdated != nil
            for target in targets(of: source) { all.append((target, offline ? .offline : target.ownState)) }
        }
        return all
    }
}
