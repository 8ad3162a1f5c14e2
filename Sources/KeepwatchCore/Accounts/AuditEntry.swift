/// One line of the audit trail: who did what, when, from where, and how it ended.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var at: Int64
    public var action: String
    public var username: String
    public var source: String
    public var result: String
    public var detail: String?

    public init(at: Int64, action: String, username: String, source: String, result: String, detail: String? = nil) {
        self.at = at
        self.action = action
        self.username = username
        self.source = source
        self.result = result
        self.detail = detail
    }
}
