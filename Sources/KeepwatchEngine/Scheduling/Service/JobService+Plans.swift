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
            await arm(job, after: now)
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
            jobs[job.jobID] = nil
            _ = try await store.deleteJob(job.jobID)
        }
    }

    private func loadPlan(id: String, path: String) async throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let value = try YAMLValue.json(from: text)
        let conversion = try MgobPlan.convert(id: id, plan: value, container: data.backups.path)
        for block in conversion.ignoredBlocks {
            logger.warning("Plan block '\(block)' is not carried out by Keepwatch yet", metadata: ["plan": "\(id)"])
        }
        var job = conversion.job
        job.planFile = path
        if let existing = jobs[id] {
            guard existing.planFile != nil else {
                logger.error("A job with this id was created through the API; the plan is ignored", metadata: ["plan": "\(id)"])
                return
            }
            job.state = existing.state
            jobs[id] = job
            schedules[id] = nil
            try await store.updateJob(job, nextRun: nil)
        } else {
            job.state = JobLifecycle.created(job.state, at: clock(), hasNextFire: true)
            jobs[id] = job
            try await store.insertJob(job, nextRun: nil)
            logger.info("New job found, saving to store", metadata: ["plan": "\(id)"])
        }
    }
}

/// YAML documents as `JSONValue`s.
public enum YAMLValue {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func json(from text: String) throws -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw Failure(description: "not valid YAML: \(error)")
        }
        guard let node else { return .object([:]) }
        return convert(node)
    }

    /// The 1-based line of every key and list item, by path (`port`, `users[0].passwordhash`); empty for invalid YAML.
    public static func lines(in text: String) -> [String: Int] {
        guard let node = try? Yams.compose(yaml: text) else { return [:] }
        var lines: [String: Int] = [:]
        collectLines(node, path: "", into: &lines)
        return lines
    }

    private static func collectLines(_ node: Node, path: String, into lines: inout [String: Int]) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let child = path.isEmpty ? (key.string ?? "") : "\(path).\(key.string ?? "")"
                if let line = key.mark?.line { lines[child] = line }
                collectLines(value, path: child, into: &lines)
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                let child = "\(path)[\(index)]"
                if let line = item.mark?.line { lines[child] = line }
                collectLines(item, path: child, into: &lines)
            }
        default:
            break
        }
    }

    static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            // YAML 1.1's base-60 numbers (`00:1:00` = 60) are read as text, as YAML 1.2 does: hashes and times stay intact.
            if (scalar.style == .plain || scalar.style == .any) && !scalar.string.contains(":") {
                if let bool = Bool.construct(from: scalar) { return .bool(bool) }
                if let int = Int.construct(from: scalar) { return .number(Double(int)) }
                if let double = Double.construct(from: scalar) { return .number(double) }
                if NSNull.construct(from: scalar) != nil { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = convert(value) }
            return .object(object)
        case .alias(let alias):
            return .string("*\(alias.anchor)")
        }
    }
}
