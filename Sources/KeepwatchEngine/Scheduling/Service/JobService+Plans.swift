import Foundation
import KeepwatchCore
import Yams

extension JobService {
    /// Re-reads the mgob plans (SIGHUP) and arms jobs that are new.
    public func reload() async {
        do {
            try await loadPlans()
        } catch {
            logger.error("Reload failed: \(error)")
        }
        let now = clock()
        for job in jobs.values where JobLifecycle.isArmed(job.state) && queue.nextFireTime(of: job.jobID) == nil && active[job.jobID] == nil {
            await arm(job.jobID, after: now)
        }
    }

    /// Reads `plans/*.yml|yaml`: each becomes (or updates) job `<file name>`; jobs of deleted plan files go.
    func loadPlans() async throws {
        let directory = data.plans.path
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        var seen: Set<String> = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            let id = (file as NSString).deletingPathExtension
            guard !seen.contains(id) else { continue }
            seen.insert(id)
            do {
                try await loadPlan(id: id, path: path)
            } catch {
                logger.error("Plan not loaded: \(error)", metadata: ["plan": "\(id)", "file": "\(path)"])
            }
        }
        for job in jobs.values where job.planFile != nil && !seen.contains(job.jobID) {
            logger.info("Plan not found on disk, removing from store", metadata: ["plan": "\(job.jobID)"])
            try await withTurn(job.jobID) {
                _ = try await store.deleteJob(job.jobID)
                jobs[job.jobID] = nil
                queue.remove(job.jobID)
            }
        }
    }

    private func loadPlan(id: String, path: String) async throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let value = try YAMLValue.json(from: text)
        let conversion = try MgobPlan.convert(id: id, plan: value, container: data.backups.path)
        let warnIgnoredBlocks = { [logger] in
            for block in conversion.ignoredBlocks {
                logger.warning("Plan block '\(block)' is not carried out by Keepwatch yet", metadata: ["plan": "\(id)"])
            }
        }
        var job = conversion.job
        job.planFile = path
        try await withTurn(id) {
            if let existing = jobs[id] {
                guard existing.planFile != nil else {
                    logger.error("A job with this id was created through the API; the plan is ignored", metadata: ["plan": "\(id)"])
                    return
                }
                job.state = existing.state
                job.version = existing.version
                guard job != existing else { return }
                job.version += 1
                warnIgnoredBlocks()
                try await store.updateJob(job, nextRun: nil)
                jobs[id] = job
                schedules[id] = nil
                if JobLifecycle.isArmed(job.state) { schedule(job, after: clock()) }
            } else {
                job.state = JobLifecycle.created(job.state, at: clock(), hasNextFire: true)
                warnIgnoredBlocks()
                try await store.insertJob(job, nextRun: nil)
                jobs[id] = job
                logger.info("New job found, saving to store", metadata: ["plan": "\(id)"])
            }
        }
    }
}

