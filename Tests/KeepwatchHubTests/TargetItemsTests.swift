import KeepwatchCore
@testable import KeepwatchHub
import Testing

/// Targets of non-cmon sources in cmon's shapes: states, alarms for failures and staleness, stable ids.
struct TargetItemsTests {
    static let source = SourceRef(xid: "chebjd8gfi863qqhrolg", controllerID: "node", url: "http://node:8090", kind: .keepwatch)
    static let now: Int64 = 1_800_000_000

    static func report(outcome: TargetReport.Outcome, lastSuccess: Int64?, period: Int64? = 3600) -> TargetReport {
        var report = TargetReport(id: "nightly", name: "nightly", type: "keepwatch")
        report.lastOutcome = outcome
        report.lastSuccess = lastSuccess
        report.period = period
        report.schedule = "every hour"
        report.lastMessage = outcome == .failure ? "exit status 1" : ""
        return report
    }

    static func snapshot(_ report: TargetReport) -> SourceSnapshot {
        var snapshot = SourceSnapshot()
        TargetItems.snapshot([report], source: source, now: now, into: &snapshot)
        return snapshot
    }

    @Test func aFailedLastRunIsACriticalAlarm() {
        let snapshot = Self.snapshot(Self.report(outcome: .failure, lastSuccess: Self.now - 60))
        #expect(snapshot.clusters.first?.state == "FAILURE")
        #expect(snapshot.alarms.map(\.severityName) == ["ALARM_CRITICAL"])
        #expect(snapshot.alarms.first?.typeName == "BackupFailed")
        #expect(snapshot.alarms.first?.text.contains("exit status 1") == true)
    }

    @Test func aSuccessOlderThanTwoPeriodsIsAStaleWarning() {
        let stale = Self.snapshot(Self.report(outcome: .success, lastSuccess: Self.now - 3 * 3600))
        #expect(stale.clusters.first?.state == "DEGRADED")
        #expect(stale.alarms.map(\.typeName) == ["BackupStale"])
        #expect(stale.alarms.first?.severityName == "ALARM_WARNING")
        let fresh = Self.snapshot(Self.report(outcome: .success, lastSuccess: Self.now - 90 * 60))
        #expect(fresh.clusters.first?.state == "STARTED" && fresh.alarms.isEmpty, "one missed run is forgiven")
        let unscheduled = Self.snapshot(Self.report(outcome: .success, lastSuccess: Self.now - 400 * 86_400, period: nil))
        #expect(unscheduled.alarms.isEmpty, "without a schedule nothing is late")
    }

    @Test func idsAreStableAndItemsCarryTheirSource() {
        let first = Self.snapshot(Self.report(outcome: .success, lastSuccess: Self.now))
        let second = Self.snapshot(Self.report(outcome: .success, lastSuccess: Self.now))
        #expect(first.clusters.first?.clusterID == second.clusters.first?.clusterID)
        #expect((first.clusters.first?.clusterID ?? 0) > 0)
        #expect(first.schedules.count == 1 && first.clusters.first?.scheduleCount == 1)
        let text = first.clusters.first?.text ?? ""
        #expect(text.contains("\"xid\":\"chebjd8gfi863qqhrolg\"") && text.contains("\"controller_url\":\"http://node:8090\"")
                && text.contains("\"hosts\":null"))
    }
}
