import AsyncHTTPClient
import Foundation
import KeepwatchCore
import KeepwatchEngine
import NIOCore
import Synchronization

/// Runs Keepwatch's own checks against this node's jobs and backups, its disks, and URLs.
final class BuiltInProbes: Sendable {
    let jobs: JobService
    /// When each backup's archive was last hashed and matched: a freshness check checks the archive's size on every
    /// run and its SHA-256 at most once an hour.
    private let verified = Mutex<[String: Date]>([:])

    init(jobs: JobService) {
        self.jobs = jobs
    }

    /// Runs the check, giving up after `seconds` (its `timeout`).
    func run(_ check: BuiltInCheck, within seconds: Int) async -> PromiseRun {
        let started = Date()
        let (failed, message) = await withTaskGroup(of: (Bool, String)?.self) { group -> (Bool, String) in
            group.addTask { await self.probe(check) }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
                return Task.isCancelled ? nil : (true, "Error: the check took more than its timeout of \(seconds) seconds")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? (true, "Error: the check was cancelled")
        }
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
        var info = stat()
        guard stat(backup.file, &info) == 0 else { return (true, "the newest backup of \(what) (\(backup.backupID)) is missing: \(backup.file)") }
        guard Int64(info.st_size) == backup.size else {
            return (true, "the newest backup of \(what) (\(backup.backupID)) is \(info.st_size) bytes, its record says \(backup.size)")
        }
        let hashed = verified.withLock { $0[backup.backupID] }
        if hashed.map({ Date().timeIntervalSince($0) > 3_600 }) ?? true {
            let report = await BackupVerifier.verify(backup, key: nil)
            guard report.ok else {
                verified.withLock { $0[backup.backupID] = nil }
                return (true, "the newest backup of \(what) (\(backup.backupID)) does not match its record: \(report.problems.joined(separator: "; "))")
            }
            verified.withLock { $0[backup.backupID] = Date() }
        }
        let words = "the newest backup of \(what) is \(backup.backupID), made \(Self.time(backup.endedAt))"
        return age > maxAge ? (true, words + ", older than \(Self.duration(maxAge))") : (false, words + ", within \(Self.duration(maxAge))")
    }

    func verify(job: String?, name: String?) async -> (Bool, String) {
        let what = job.map { "job \($0)" } ?? "backup \(name ?? "")"
        guard let backup = await newest(job: job, name: name) else { return (true, "\(what) has no backup yet") }
        let report = await BackupVerifier.verify(backup, key: nil)
        if report.ok {
            verified.withLock { $0[backup.backupID] = Date() }
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
            let response = try await Self.client.execute(request, timeout: .seconds(Int64(timeout)))
            let body = try await response.body.collect(upTo: 4 << 20)
            let code = Int(response.status.code)
            guard code == status else { return (true, "GET \(url) answered \(code), expected \(status)") }
            if let expected, !String(buffer: body).contains(expected) {
                return (true, "GET \(url) answered \(code) without \"\(expected)\" in its body")
            }
            return (false, "GET \(url) answered \(code)")
        } catch {
            return (true, "GET \(url) failed: \(Self.words(for: error))")
        }
    }

    /// A refused connection fails at once (the runner's timeout and the check's frequency do the retrying).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .follow(max: 3, allowCycles: false), timeout: .init(connect: .seconds(5)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    static func words(for error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("deadlineExceeded") || text.contains("readTimeout") || text.contains("connectTimeout") { return "no answer in time" }
        if text.contains("SSL") || text.contains("TLS") || text.contains("handshake") {
            return "the TLS handshake failed (does the server speak TLS there, with a certificate this machine trusts?)"
        }
        return String(text.prefix(300))
    }

    static func time(_ seconds: Int64) -> String { ISO8601.formatUTC(Instant(secondsSince1970: seconds)) }

    static func duration(_ seconds: Int64) -> String {
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7_200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3_600)h\(seconds % 3_600 / 60)m" }
        return "\(seconds / 86_400)d\(seconds % 86_400 / 3_600)h"
    }
}
