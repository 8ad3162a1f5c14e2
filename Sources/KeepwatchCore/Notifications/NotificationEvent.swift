/// Something a person may need to hear about: a run failed or recovered, a backup went stale, a check went down or
/// up, a source stopped answering or came back, a restore or verify failed. Events are what routes pick from and
/// what a channel's message lists.
public struct NotificationEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case runFailed = "run_failed"
        case runRecovered = "run_recovered"
        case runSucceeded = "run_succeeded"
        case backupStale = "backup_stale"
        case checkDown = "check_down"
        case checkUp = "check_up"
        case sourceDown = "source_down"
        case sourceUp = "source_up"
        case restoreFailed = "restore_failed"
        case verifyFailed = "verify_failed"

        /// A failure (red), a recovery (green) or a plain success.
        public var severity: Severity {
            switch self {
            case .runFailed, .backupStale, .checkDown, .sourceDown, .restoreFailed, .verifyFailed: return .failure
            case .runRecovered, .checkUp, .sourceUp: return .recovery
            case .runSucceeded: return .success
            }
        }

        /// The words of `$STATUS` and of a subject: `down` for failures, `up` for the rest, as Healthchecks says.
        public var status: String { severity == .failure ? "down" : "up" }
    }

    public enum Severity: String, Sendable {
        case failure, recovery, success
    }

    /// What the event is about: a job, a check, a source (`kind` of target).
    public enum TargetKind: String, Sendable {
        case job, check, source, backup
    }

    public var kind: Kind
    public var targetKind: TargetKind
    /// The job id, check name, or source name.
    public var target: String
    /// The source it was seen through (`local` for this node).
    public var source: String
    public var tags: [String]
    /// One line: why (the run's message, the check's reason).
    public var message: String
    /// Where a person looks at it (on this node).
    public var url: String
    /// Unix seconds.
    public var at: Int64

    public init(kind: Kind, targetKind: TargetKind, target: String, source: String = "local", tags: [String] = [], message: String,
                url: String = "", at: Int64) {
        self.kind = kind
        self.targetKind = targetKind
        self.target = target
        self.source = source
        self.tags = tags
        self.message = message
        self.url = url
        self.at = at
    }

    /// `run_failed job nightly: exit status 2`, for logs and plain-text lists.
    public var line: String {
        "\(kind.rawValue) \(targetKind.rawValue) \(target)\(source == "local" ? "" : " (\(source))"): \(message)"
    }

    public var json: JSONValue {
        ["kind": .string(kind.rawValue), "target_kind": .string(targetKind.rawValue), "target": .string(target), "source": .string(source),
         "tags": .array(tags.map { .string($0) }), "message": .string(message), "url": .string(url), "at": .number(Double(at)),
         "status": .string(kind.status)]
    }

    public init?(json: JSONValue) {
        guard case .object(let fields) = json, let kind = fields["kind"]?.stringValue.flatMap(Kind.init(rawValue:)),
              let targetKind = fields["target_kind"]?.stringValue.flatMap(TargetKind.init(rawValue:)),
              let target = fields["target"]?.stringValue, case .number(let number)? = fields["at"], let at = Int64(exactly: number) else { return nil }
        self.init(kind: kind, targetKind: targetKind, target: target, source: fields["source"]?.stringValue ?? "local",
                  tags: fields["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [], message: fields["message"]?.stringValue ?? "",
                  url: fields["url"]?.stringValue ?? "", at: at)
    }
}
