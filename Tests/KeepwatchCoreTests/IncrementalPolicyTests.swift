import KeepwatchCore
import Testing

/// Freezer's level rules and the restore chain walk.
@Suite struct IncrementalPolicyTests {
    func backup(_ id: String, level: Int, at: Int64, parent: BackupManifest? = nil) -> BackupManifest {
        BackupManifest(backupID: id, backupName: "n", jobID: "j", runID: "r", file: "/b/\(id)", size: 1, sha256: "", compression: "zstd",
                       mode: "fs", source: "/src", level: level, startedAt: at, endedAt: at, tools: [:], parentID: parent?.backupID,
                       chainID: parent?.chain, snapshotFile: "/b/\(id).snar")
    }

    @Test func levelsClimbUntilMaxLevel() {
        let policy = IncrementalPolicy(incremental: true, maxLevel: 2)
        #expect(policy.plan(previous: [], now: 10).level == 0)
        let zero = backup("a", level: 0, at: 10)
        let one = backup("b", level: 1, at: 20, parent: zero)
        let first = policy.plan(previous: [zero], now: 15)
        #expect(first.level == 1 && first.parent == zero)
        let plan = policy.plan(previous: [zero, one], now: 25)
        #expect(plan.level == 2 && plan.parent == one)
        let two = backup("c", level: 2, at: 30, parent: one)
        #expect(policy.plan(previous: [zero, one, two], now: 35).level == 0)
        #expect(IncrementalPolicy(incremental: false).plan(previous: [zero, one], now: 40).level == 0)
    }

    @Test func alwaysLevelRedoesTheSameLevelAgainstTheOneBelow() {
        let policy = IncrementalPolicy(incremental: true, alwaysLevel: 1)
        let zero = backup("a", level: 0, at: 10)
        let one = backup("b", level: 1, at: 20, parent: zero)
        let again = policy.plan(previous: [zero, one], now: 30)
        #expect(again.level == 1 && again.parent == zero, "a differential against level 0")
        let deeper = backup("x", level: 2, at: 40, parent: one)
        #expect(policy.plan(previous: [zero, one, deeper], now: 50).level == 0, "past always_level a new chain starts")
    }

    @Test func restartAlwaysLevelStartsAFreshChainAfterSoManyDays() {
        let policy = IncrementalPolicy(incremental: true, restartAlwaysLevelDays: 1)
        let zero = backup("a", level: 0, at: 0)
        #expect(policy.plan(previous: [zero], now: 86_000).level == 1)
        #expect(policy.plan(previous: [zero], now: 86_401).level == 0)
    }

    @Test func restoreWalksParentsFromTheNewestBackupAtTheDate() throws {
        let zero = backup("a", level: 0, at: 10)
        let one = backup("b", level: 1, at: 20, parent: zero)
        let oneAgain = backup("c", level: 1, at: 30, parent: zero)
        let all = [zero, one, oneAgain]
        #expect(try RestorePlan.chain(all, name: "n", at: nil).map(\.backupID) == ["a", "c"])
        #expect(try RestorePlan.chain(all, name: "n", at: 25).map(\.backupID) == ["a", "b"])
        #expect(try RestorePlan.chain(all, name: "n", at: 10).map(\.backupID) == ["a"])
        #expect(throws: RestorePlan.Failure.self) { try RestorePlan.chain(all, name: "n", at: 5) }
        #expect(throws: RestorePlan.Failure.self) { try RestorePlan.chain([one], name: "n", at: nil) }
        #expect(throws: RestorePlan.Failure.self) { try RestorePlan.chain([], name: "n", at: nil) }
    }
}
