import Foundation

/// What tells one process apart from a later one that got the same pid: its start time (in clock ticks since
/// boot, from /proc/<pid>/stat) and the boot it belongs to. A node restarted after a crash kills a process group
/// a run left behind only when it can prove the group is still the one the run started.
struct ProcessIdentity: Equatable, Sendable {
    let startTicks: UInt64
    let bootID: String

    static var currentBootID: String {
        ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The identity of a living process, if /proc knows it.
    static func of(_ pid: pid_t) -> ProcessIdentity? {
        guard let fields = statFields(pid), fields.count > 19, let start = UInt64(fields[19]) else { return nil }
        return ProcessIdentity(startTicks: start, bootID: currentBootID)
    }

    /// The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses): state first.
    static func statFields(_ pid: pid_t) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: end)...].split(separator: " ")
    }

    /// Whether any process is still in process group `group`.
    static func groupHasMembers(_ group: pid_t) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries {
            guard let pid = pid_t(entry), let fields = statFields(pid), fields.count > 2 else { continue }
            if pid_t(fields[2]) == group { return true }
        }
        return false
    }

    /// Whether group `group`, noted with `noted` when its leader started, is provably still that group: its leader
    /// lives with the same start time, or the leader is gone but members remain in this same boot (Linux does not
    /// hand out a pid that is still in use as a process group id).
    static func isStillOurs(_ group: pid_t, noted: ProcessIdentity) -> Bool {
        guard noted.bootID == currentBootID else { return false }
        if let leader = of(group) { return leader.startTicks == noted.startTicks }
        return groupHasMembers(group)
    }

    /// `"<group> <start ticks> <boot id>"`, one line of a run's `.pgids` file.
    static func line(group: pid_t, identity: ProcessIdentity) -> String {
        "\(group) \(identity.startTicks) \(identity.bootID)\n"
    }

    static func parse(line: Substring) -> (pid_t, ProcessIdentity)? {
        let parts = line.split(separator: " ")
        guard parts.count == 3, let group = pid_t(parts[0]), group > 1, let start = UInt64(parts[1]) else { return nil }
        return (group, ProcessIdentity(startTicks: start, bootID: String(parts[2])))
    }
}
