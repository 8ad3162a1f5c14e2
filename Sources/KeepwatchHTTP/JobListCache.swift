import KeepwatchCore
import KeepwatchEngine
import Synchronization

/// `GET /api/v1/jobs` writes each job's document once and reuses the text until the job changes (its version, its
/// run state, its next fire time): a list of 10,000 jobs is then a join of stored texts, not 10,000 documents
/// rebuilt and written on every request.
final class JobListCache: Sendable {
    struct Entry {
        var version: Int
        var state: JobState
        var nextRun: Instant?
        var zone: String
        var planFile: String?
        var text: String

        func matches(_ listed: JobListing) -> Bool {
            version == listed.job.version && state == listed.job.state && nextRun == listed.nextRun
                && zone == listed.zone.identifier && planFile == listed.job.planFile
        }
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The reply body: `{"jobs":[…]}`, each document rendered by `render` only when it is not stored yet.
    func body(for listing: [JobListing], render: (JobListing) -> JSONValue) -> String {
        var known = entries.withLock { $0 }
        var texts: [String] = []
        texts.reserveCapacity(listing.count)
        var changed = known.count != listing.count
        for listed in listing {
            if let entry = known[listed.job.jobID], entry.matches(listed) {
                texts.append(entry.text)
                continue
            }
            let text = JSONWriter.text(render(listed))
            known[listed.job.jobID] = Entry(version: listed.job.version, state: listed.job.state, nextRun: listed.nextRun,
                                            zone: listed.zone.identifier, planFile: listed.job.planFile, text: text)
            texts.append(text)
            changed = true
        }
        if changed {
            let present = Set(listing.map(\.job.jobID))
            known = known.filter { present.contains($0.key) }
            entries.withLock { $0 = known }
        }
        var body = "{\"jobs\":["
        body.reserveCapacity(texts.reduce(16) { $0 + $1.utf8.count + 1 })
        for (index, text) in texts.enumerated() {
            if index > 0 { body += "," }
            body += text
        }
        return body + "]}\n"
    }
}
