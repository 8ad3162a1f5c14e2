/// How what happens on a node becomes an event: runs, heartbeat flips, promise and built-in check results, and
/// sources. The rules of when (a recovery only after a failure, no event for a first success) live here, once.
extension NotificationEvent {
    /// A finished run: failed, recovered (succeeded after a failure) or succeeded; nil for an aborted run.
    public static func run(_ run: Run, previous: Run.Status?, url: String) -> NotificationEvent? {
        let at = run.endedAt ?? run.startedAt
        switch run.status {
        case .fail:
            return NotificationEvent(kind: .runFailed, targetKind: .job, target: run.jobID, message: run.message ?? "the run failed", url: url, at: at)
        case .success:
            let recovered = previous == .fail
            return NotificationEvent(kind: recovered ? .runRecovered : .runSucceeded, targetKind: .job, target: run.jobID,
                                     message: recovered ? "the run succeeded again" : "the run succeeded", url: url, at: at)
        case .running, .aborted:
            return nil
        }
    }

    /// A heartbeat check's flip, as Healthchecks alerts: down, or up again after being down (never new or paused to up).
    public static func heartbeat(_ flip: HeartbeatFlip, name: String, tags: [String], url: String) -> NotificationEvent? {
        let at = flip.created / 1_000_000
        if flip.new == "down" {
            let why = flip.reason == "timeout" ? "success signal did not arrive on time, grace time passed"
                : flip.reason == "fail" ? "received a failure signal" : "the check is down"
            return NotificationEvent(kind: .checkDown, targetKind: .check, target: name, tags: tags, message: why, url: url, at: at)
        }
        guard flip.new == "up", flip.old == "down" else { return nil }
        return NotificationEvent(kind: .checkUp, targetKind: .check, target: name, tags: tags, message: "the check is up again", url: url, at: at)
    }

    /// A promise or built-in check whose state changed: failing (a stale backup or a failed verify for those kinds),
    /// or passing again. A check that passes from its first run says nothing.
    public static func check(id: String, kind: String, failed: Bool, wasFailing: Bool?, message: String, url: String, at: Int64) -> NotificationEvent? {
        if failed {
            guard wasFailing != true else { return nil }
            let event: Kind = kind == "backup_freshness" ? .backupStale : kind == "verify" ? .verifyFailed : .checkDown
            return NotificationEvent(kind: event, targetKind: event == .checkDown ? .check : .backup, target: id, message: message, url: url, at: at)
        }
        guard wasFailing == true else { return nil }
        return NotificationEvent(kind: .checkUp, targetKind: .check, target: id, message: message.isEmpty ? "the check passes again" : message,
                                 url: url, at: at)
    }

    /// A source that stopped answering (after answering), or answers again (after it was said to be down).
    public static func source(name: String, reachable: Bool, wasReachable: Bool, message: String, at: Int64) -> NotificationEvent? {
        guard reachable != wasReachable else { return nil }
        return NotificationEvent(kind: reachable ? .sourceUp : .sourceDown, targetKind: .source, target: name, source: name,
                                 message: reachable ? "the source answers again" : message, at: at)
    }
}
