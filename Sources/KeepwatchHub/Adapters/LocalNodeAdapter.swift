import Foundation
import KeepwatchCore
import KeepwatchEngine

/// This node: its own jobs, runs and backups, read from the job service without HTTP. Always the first source.
final class LocalNodeAdapter: SourceAdapter {
    let jobs: JobService
    let nodeName: String
    let version: String
    let checks: HubService.FailingChecks

    init(jobs: JobService, nodeName: String, version: String, checks: @escaping HubService.FailingChecks) {
        self.jobs = jobs
        self.nodeName = nodeName
        self.version = version
        self.checks = checks
    }

    func refresh(_ source: SourceDefinition, settings: HubSettings) async throws -> SourceSnapshot {
        let listing = await jobs.listing()
        let runs = try await jobs.runs(jobID: nil, limit: 10_000)
        let backups = try await jobs.backups(name: nil)
        let node = TargetReport.Host(id: source.xid, hostname: nodeName, port: nil, status: "CmonHostOnline", nodetype: "keepwatch", role: "node")
        let listed = listing.map { KeepwatchTargets.Listed(job: $0.job, nextRun: $0.nextRun?.secondsSince1970) }
        let reports = KeepwatchTargets.reports(jobs: listed, runs: runs, backups: backups, node: node,
                                               running: Set(listing.filter(\.running).map(\.job.jobID)))
        var snapshot = TargetItems.snapshot(of: reports, source: source, controllerID: nodeName, version: version)
        snapshot.devices = KeepwatchTargets.devices(reports, deviceID: source.xid, name: nodeName)
        let ref = SourceRef(xid: source.xid, controllerID: nodeName, url: source.url, kind: source.kind)
        snapshot.alarms += TargetItems.checkAlarms(await checks(), source: ref, hostname: nodeName)
        return snapshot
    }
}

