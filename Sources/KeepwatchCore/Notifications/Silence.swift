/// Holds back notifications about a target, a tag or a source until a time (`keepwatch silence add`, the API).
/// What it holds is sent when it ends or is removed, so nothing is lost, only delayed.
public struct Silence: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable {
        case target, tag, source
    }

    public var id: String
    public var scope: Scope
    public var value: String
    /// Unix seconds.
    public var until: Int64
    public var reason: String
    public var createdBy: String
    public var createdAt: Int64

    public init(id: String, scope: Scope, value: String, until: Int64, reason: String = "", createdBy: String = "", createdAt: Int64) {
        self.id = id
        self.scope = scope
        self.value = value
        self.until = until
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    public func covers(_ event: NotificationEvent, at now: Int64) -> Bool {
        guard now < until else { return false }
        switch scope {
        case .target: return event.target == value
        case .tag: return event.tags.contains(value)
        case .source: return event.source == value
        }
    }

    public var json: JSONValue {
        ["id": .string(id), "scope": .string(scope.rawValue), "value": .string(value), "until": .number(Double(until)),
         "until_text": .string(ISO8601.formatUTC(Instant(secondsSince1970: until))), "reason": .string(reason),
         "created_by": .string(createdBy), "created_at": .number(Double(createdAt))]
    }

    /// A silence from the API: `{"target"|"tag"|"source": "…", "until": unix seconds | "2026-12-24T08:00:00Z",
    /// or "for": "2h", "reason": "…"}`.
    public init(json: JSONValue, id: String, by user: String, now: Int64) throws(DocumentError) {
        guard case .object(let object) = json else { throw DocumentError(field: "silence", "must be an object") }
        for key in object.keys.sorted() where !["target", "tag", "source", "until", "for", "reason"].contains(key) {
            throw DocumentError(field: key, "is not a silence key (target, tag, source, until, for, reason)")
        }
        let scopes = Scope.allCases.filter { object[$0.rawValue] != nil }
        guard scopes.count == 1, let scope = scopes.first, case .string(let value)? = object[scope.rawValue], !value.isEmpty else {
            throw DocumentError(field: "target", "give one of target, tag or source, as a name")
        }
        let until: Int64
        switch (object["until"], object["for"]) {
        case (.number(let number)?, nil):
            guard let whole = Int64(exactly: number) else { throw DocumentError(field: "until", "must be whole Unix seconds") }
            until = whole
        case (.string(let text)?, nil):
            do {
                until = try ISO8601.parse(text).instant(in: .utc).secondsSince1970
            } catch {
                throw DocumentError(field: "until", "'\(text.clipped)' is not a time such as 2026-12-24T08:00:00Z")
            }
        case (nil, .string(let text)?):
            do {
                until = now + (try IntervalRule.parsePeriod(text, field: "for", example: "2h"))
            } catch {
                throw DocumentError(field: "for", error.message)
            }
        default: throw DocumentError(field: "until", "give until (a time) or for (a period such as 2h), one of them")
        }
        guard until > now else { throw DocumentError(field: "until", "is in the past") }
        guard until - now <= 31_536_000 else { throw DocumentError(field: "until", "is more than a year away") }
        var reason = ""
        if let given = object["reason"] {
            guard case .string(let text) = given, text.count <= 500 else { throw DocumentError(field: "reason", "must be a text of at most 500 characters") }
            reason = text
        }
        self.init(id: id, scope: scope, value: value, until: until, reason: reason, createdBy: user, createdAt: now)
    }
}
