import KeepwatchCore
import KeepwatchMonitor

/// Healthchecks's ping URLs, matched in its order: `/ping/<uuid>[/]`, `/ping/<uuid>/start|fail|log|<exit status>`,
/// then `/ping/<ping key>/<slug>[/start|fail|log|<exit status>]`. A UUID is lowercase and hyphenated; a slug is
/// letters, digits, `-` and `_`. Anything else is not a ping URL.
struct PingPath: Equatable {
    enum Target: Equatable {
        case uuid(String)
        case slug(pingKey: String, slug: String)
    }

    var target: Target
    var kind: HeartbeatPing.Kind
    /// nil when the URL gives none; `Int.max` for a number too large to read (always refused).
    var exitStatus: Int?

    init?(segments: [Substring]) {
        switch segments.count {
        case 1:
            guard Self.isUUID(segments[0]) else { return nil }
            (target, kind, exitStatus) = (.uuid(String(segments[0])), .success, nil)
        case 2 where Self.isUUID(segments[0]) && segments[1].isEmpty:
            (target, kind, exitStatus) = (.uuid(String(segments[0])), .success, nil)
        case 2 where Self.isUUID(segments[0]) && Self.action(segments[1]) != nil:
            guard let (kind, status) = Self.action(segments[1]) else { return nil }
            (target, self.kind, exitStatus) = (.uuid(String(segments[0])), kind, status)
        case 2:
            guard Self.isSlug(segments[0]), Self.isSlug(segments[1]) else { return nil }
            (target, kind, exitStatus) = (.slug(pingKey: String(segments[0]), slug: String(segments[1])), .success, nil)
        case 3:
            guard Self.isSlug(segments[0]), Self.isSlug(segments[1]), let (kind, status) = Self.action(segments[2]) else { return nil }
            (target, self.kind, exitStatus) = (.slug(pingKey: String(segments[0]), slug: String(segments[1])), kind, status)
        default:
            return nil
        }
    }

    static func action(_ segment: Substring) -> (HeartbeatPing.Kind, Int?)? {
        switch segment {
        case "start": return (.start, nil)
        case "fail": return (.fail, nil)
        case "log": return (.log, nil)
        default:
            guard !segment.isEmpty, segment.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return (.success, Int(segment) ?? Int.max)
        }
    }

    static func isUUID(_ text: Substring) -> Bool {
        HeartbeatService.isUUIDText(String(text)) && text == text.lowercased()[...]
    }

    static func isSlug(_ text: Substring) -> Bool {
        PlainName.isPlain(text, dots: false)
    }
}
