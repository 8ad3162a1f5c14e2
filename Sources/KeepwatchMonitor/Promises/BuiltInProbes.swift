import AsyncHTTPClient
import Foundation
import KeepwatchCore
import KeepwatchEngine
import NIOCore
import Synchronization

/// Runs Keepwatch's own checks against this node's jobs and backups, its disks, and URLs.
final class BuiltInProbes: Sendable {
    let jobs: JobService
    /// Backups whose archive was hashed and matched, so that a freshness check hashes each archive once.
    private let verified = Mutex<Set<String>>([])

    init(jobs: JobService) {
        self.jobs = jobs
    }

    func run(_ check: BuiltInCheck) async -> PromiseRun {
        let started = Date()
        let (failed, message) = await probe(check)
        let seconds = Date().timeIntervalSince(started)
        return PromiseRun(date: Int64(started.timeIntervalSince1970), executionTime: ((seconds / 0.05).rounded(.up) * 5).rounded() / 100,
                          failed: failed, message: message)
    }

    func probe(_ check: BuiltInCheck) async -> (Bool, String) {
        switch check.probe {
        case .job(let id): return await job(id)
        case .backupFreshness(let job, let name, let maxAge): return await freshness(job: job, name: name, maxAge: maxAge)
        case .diskSpace(let path, let minimum): return Self.disk(path, minimum: minimum)
        case .http(let url, let status, let timeout, let body): return await Self.http(url, status: status, timeout: timeout, body: body)
        case .verify(let job, let name): return await verify(job: job, name: name)
        }
    }

    func job(_ id: String) async -> (Bool, String) {
        guard await jobs.job(id) != nil else { return (true, "there is no job \(id)") }
        guard let runs = try? await jobs.runs(jobID: id, limit: 50), let last = runs.first(where: { $0.status != .running }) else {
            return (false, "job \(id) has not run yet")
        }
        let when = Self.time(last.endedAt ?? last.startedAt)
        switch last.status {
        case .success: return (false, "the last run of job \(id) succeeded (\(when), run \(last.runID))")
        case .fail, .aborted, .running:
            return (true, "the last run of job \(id) \(last.status == .aborted ? "was aborted" : "failed") (\(when), run \(last.runID))"
                        + (last.message.map { ": \($0)" } ?? ""))
        }
    }

    func newest(job: String?, name: String?) async -> BackupManifest? {
        let backups = (try? await jobs.backups(name: name)) ?? []
        return backups.filter { job == nil || $0.jobID == job }.max { ($0.endedAt, $0.backupID) < ($1.endedAt, $1.backupID) }
    }

    func freshness(job: String?, name: String?, maxAge: Int64) async -> (Bool, String) {
        let what = job.map { "job \($0)" } ?? "backup \(name ?? "")"
        guard let backup = await newest(job: job, name: name) else { return (true, "\(what) has no backup yet") }
        let age = Int64(Date().timeIntervalSince1970) - backup.endedAt
        if !verified.withLock({ $0.contains(backup.backupID) }) {
            let report = await BackupVerifier.verify(backup, key: nil)
            guard report.ok else { return (true, "the newest backup of \(what) (\(backup.backupID)) does not match its record: \(report.problems.joined(separator: "; "))") }
            verified.withLock { _ = $0.insert(backup.backupID) }
        }
        let words = "the newest backup of \(what) is \(Self.duration(age)) old (\(backup.backupID), \(Self.time(backup.endedAt)))"
        return age > maxAge ? (true, words + ", older than \(Self.duration(maxAge))") : (false, words)
    }

    func verify(job: String?, name: String?) async -> (Bool, String) {
        let what = job.map { "job \($0)" } ?? "backup \(name ?? "")"
        guard let backup = await newest(job: job, name: name) else { return (true, "\(what) has no backup yet") }
        let report = await BackupVerifier.verify(backup, key: nil)
        if report.ok {
            verified.withLock { _ = $0.insert(backup.backupID) }
            return (false, "\(backup.backupID) reads back whole: \(backup.size) bytes, sha256 \(backup.sha256.prefix(16))…")
        }
        return (true, "\(backup.backupID) is \(report.verdict.rawValue): \(report.problems.joined(separator: "; "))")
    }

    static func disk(_ path: String, minimum: BuiltInCheck.Minimum) -> (Bool, String) {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return (true, "cannot read the file system of \(path): \(String(cString: strerror(errno)))") }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let total = Int64(info.f_blocks) * Int64(info.f_frsize)
        let percent = total > 0 ? Double(free) / Double(total) * 100 : 0
        let words = "\(path): \(GoFormat.bytes(free)) free of \(GoFormat.bytes(total)) (\(String(format: "%.1f", percent))%)"
        switch minimum {
        case .percent(let wanted): return percent < wanted ? (true, words + ", less than \(wanted)%") : (false, words)
        case .bytes(let wanted): return free < wanted ? (true, words + ", less than \(GoFormat.bytes(wanted))") : (false, words)
        }
    }

    static func http(_ url: String, status: Int, timeout: Int, body expected: String?) async -> (Bool, String) {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: "keepwatch-check")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout)))
            let body = try await response.body.collect(upTo: 4 << 20)
            let code = Int(response.status.code)
            guard code == status else { return (true, "GET \(url) answered \(code), expected \(status)") }
            if let expected, !String(buffer: body).contains(expected) {
                return (true, "GET \(url) answered \(code) without \"\(expected)\" in its body")
            }
            return (false, "GET \(url) answered \(code)")
        } catch {
            return (true, "GET \(url) failed: \(error)")
        }
    }

    static func time(_ seconds: Int64) -> String { ISO8601.formatUTC(Instant(secondsSince1970: seconds)) }

    static func duration(_ seconds: Int64) -> String {
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7_200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3_600)h\(seconds % 3_600 / 60)m" }
        return "\(seconds / 86_400)d\(seconds % 86_400 / 3_600)h"
    }
}
