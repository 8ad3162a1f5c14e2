/// mgob's Prometheus series, per plan (job) and status (`"200"` or `"500"`): runs counted, last archive size,
/// and run latency as a summary (sum and count).
public struct BackupMetrics: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public let plan: String
        public let status: String

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.plan, lhs.status) < (rhs.plan, rhs.status)
        }
    }

    public private(set) var total: [Key: Int] = [:]
    public private(set) var size: [Key: Int64] = [:]
    public private(set) var latencySum: [Key: Double] = [:]
    public private(set) var latencyCount: [Key: Int] = [:]

    public init() {}

    mutating func record(plan: String, succeeded: Bool, bytes: Int64, seconds: Double) {
        let key = Key(plan: plan, status: succeeded ? "200" : "500")
        total[key, default: 0] += 1
        size[key] = succeeded ? bytes : 0
        latencySum[key, default: 0] += seconds
        latencyCount[key, default: 0] += 1
    }

    /// The Prometheus text exposition of the series.
    public func exposition() -> String {
        var lines: [String] = []
        func labels(_ key: Key) -> String { "{plan=\"\(escape(key.plan))\",status=\"\(key.status)\"}" }
        lines.append("# HELP mgob_scheduler_backup_total The total number of backups.")
        lines.append("# TYPE mgob_scheduler_backup_total counter")
        for key in total.keys.sorted() { lines.append("mgob_scheduler_backup_total\(labels(key)) \(total[key] ?? 0)") }
        lines.append("# HELP mgob_scheduler_backup_size The size of backup.")
        lines.append("# TYPE mgob_scheduler_backup_size gauge")
        for key in size.keys.sorted() { lines.append("mgob_scheduler_backup_size\(labels(key)) \(size[key] ?? 0)") }
        lines.append("# HELP mgob_scheduler_backup_latency Backup duration in seconds.")
        lines.append("# TYPE mgob_scheduler_backup_latency summary")
        for key in latencySum.keys.sorted() {
            lines.append("mgob_scheduler_backup_latency_sum\(labels(key)) \(latencySum[key] ?? 0)")
            lines.append("mgob_scheduler_backup_latency_count\(labels(key)) \(latencyCount[key] ?? 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
