/// Healthchecks's rules for a heartbeat check: when its grace time starts, what its status is at a given time,
/// and what a ping does to it. `nextCron` gives a cron check's next expected time after an instant (seconds).
public struct HeartbeatRules: Sendable {
    public let nextCron: @Sendable (Int64) -> Int64?

    public init(nextCron: @escaping @Sendable (Int64) -> Int64?) {
        self.nextCron = nextCron
    }

    static let micro: Int64 = 1_000_000

    /// When the grace time starts (microseconds), or nil when the check cannot be late (new, paused or down and
    /// not running). A run in progress counts from its start.
    public func graceStart(_ check: HeartbeatCheck, withStarted: Bool = true) -> Int64? {
        var result: Int64?
        if check.status == .up, let last = check.lastPing {
            switch check.kind {
            case .simple: result = last + check.timeout * Self.micro
            case .cron, .oncalendar: result = nextCron(last / Self.micro).map { $0 * Self.micro }
            }
        }
        if withStarted, let start = check.lastStart, check.status != .down {
            result = min(result ?? start, start)
        }
        return result
    }

    /// When the check goes down if nothing arrives (microseconds), or nil.
    public func goingDownAfter(_ check: HeartbeatCheck) -> Int64? {
        graceStart(check).map { $0 + check.grace * Self.micro }
    }

    /// `new`, `up`, `grace`, `down` or `paused` at `now`.
    public func status(_ check: HeartbeatCheck, at now: Int64) -> String {
        if let start = check.lastStart, now >= start + check.grace * Self.micro { return "down" }
        switch check.status {
        case .new, .paused, .down: return check.status.rawValue
        case .up: break
        }
        guard let graceStart = graceStart(check, withStarted: false) else { return "up" }
        if now >= graceStart + check.grace * Self.micro { return "down" }
        return now >= graceStart ? "grace" : "up"
    }

    /// What a ping does: the kind it is recorded as (a paused check that resumes only by hand, or one that takes
    /// only POST, ignores it), and the flip it causes, if any.
    public func apply(_ kind: HeartbeatPing.Kind, method: String, rid: String?, at now: Int64,
                      to check: inout HeartbeatCheck) -> (kind: HeartbeatPing.Kind, flip: HeartbeatFlip?) {
        var action = kind
        if check.status == .paused && check.manualResume { action = .ign }
        var flip: HeartbeatFlip?
        switch action {
        case .start:
            check.lastStart = now
            check.lastStartRID = rid
        case .success, .fail:
            check.lastPing = now
            check.lastDuration = nil
            if let start = check.lastStart {
                if check.lastStartRID == rid {
                    check.lastDuration = (now - start) / Self.micro
                    check.lastStart = nil
                    check.lastStartRID = nil
                } else if action == .fail || rid == nil {
                    check.lastStart = nil
                    check.lastStartRID = nil
                }
            }
            let next: HeartbeatCheck.StoredStatus = action == .fail ? .down : .up
            if next != check.status {
                flip = HeartbeatFlip(created: now, old: check.status.rawValue, new: next.rawValue, reason: action == .fail ? "fail" : "")
                check.status = next
            }
        case .log, .ign:
            break
        }
        check.pingCount += 1
        return (action, flip)
    }

    /// The check gone down because nothing arrived in time: the flip, dated when it went down, or nil when it has not.
    public func timeout(_ check: inout HeartbeatCheck, at now: Int64) -> HeartbeatFlip? {
        guard check.status != .down, status(check, at: now) == "down" else { return nil }
        let when = goingDownAfter(check) ?? now
        let flip = HeartbeatFlip(created: when, old: check.status.rawValue, new: "down", reason: "timeout")
        check.status = .down
        return flip
    }

    /// Pausing: no more alerts until the next ping (or a resume, when it resumes only by hand).
    public static func pause(_ check: inout HeartbeatCheck, at now: Int64) -> HeartbeatFlip? {
        guard check.status != .paused else { return nil }
        let flip = HeartbeatFlip(created: now, old: check.status.rawValue, new: "paused", reason: "")
        check.status = .paused
        check.lastStart = nil
        check.lastStartRID = nil
        return flip
    }

    /// Resuming a paused check makes it new again; nil when it was not paused.
    public static func resume(_ check: inout HeartbeatCheck, at now: Int64) -> HeartbeatFlip? {
        guard check.status == .paused else { return nil }
        let flip = HeartbeatFlip(created: now, old: "paused", new: "new", reason: "")
        check.status = .new
        check.lastStart = nil
        check.lastStartRID = nil
        check.lastPing = nil
        return flip
    }

    /// Healthchecks's keyword classification of a ping body (when `filter_http_body` is on): failure words, then
    /// success, then start; otherwise fail when `filter_default_fail`, else ignored.
    public static func classify(_ kind: HeartbeatPing.Kind, body: [UInt8], keywords: HeartbeatCheck.Keywords) -> HeartbeatPing.Kind {
        guard kind != .ign, keywords.filterHTTPBody else { return kind }
        let text = String(decoding: body, as: UTF8.self)
        func matches(_ words: String) -> Bool {
            words.split(separator: ",", omittingEmptySubsequences: false).contains { word in
                let trimmed = word.trimmingCharacters(in: " \t\n\r")
                return !trimmed.isEmpty && text.contains(trimmed)
            }
        }
        if !keywords.failure.isEmpty && matches(keywords.failure) { return .fail }
        if !keywords.success.isEmpty && matches(keywords.success) { return .success }
        if !keywords.start.isEmpty && matches(keywords.start) { return .start }
        return keywords.filterDefaultFail ? .fail : .ign
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
