import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub
import KeepwatchMonitor

/// `/sources`, `/notifications`, `/users`.
extension WebPages {
    /// The list, and the add form; `entered` refills the form (never its secrets) with an outcome after "Test only"
    /// or a refused add.
    func sourceList(_ request: Request, _ context: KeepwatchRequestContext, entered: SourceFormOutcome? = nil) async throws -> Response {
        let now = Self.now
        let items = hub.index.states().map { state -> [String: Any] in
            var fields: [String: Any] = [
                "xid": state.xid, "name": state.definition.name, "kind": state.definition.kind.rawValue, "url": state.definition.url,
                "status": state.status.rawValue, "dot": state.status == .ok ? "success" : state.lastUpdated == nil ? "error" : "offline",
                "local": state.definition.kind == .local,
            ]
            if state.status != .ok { fields.put("message", state.statusMessage) }
            fields.put("updated", WebFormat.time(state.lastUpdated, now: now))
            return fields
        }
        let frame = frame("Sources", section: "Sources", json: "/api/v1/sources", request, context)
        let chosen = entered?.form["kind"] ?? SourceDefinition.Kind.cmon.rawValue
        var fields: [String: Any] = [
            "hasSources": !items.isEmpty, "items": items,
            "kinds": SourceDefinition.Kind.allCases.filter { $0 != .local }.map { ["kind": $0.rawValue, "selected": $0.rawValue == chosen] },
        ]
        if let entered {
            fields.merge(entered.fields) { _, new in new }
            return frame.render("sources", fields, status: entered.status)
        }
        return frame.render("sources", fields)
    }

    func notificationList(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let frame = frame("Notifications", section: "Notifications", json: "/api/v1/notifications", request, context)
        guard let notifications else {
            return frame.render("notifications", ["queued": "0"])
        }
        let now = Self.now
        var channels: [[String: Any]] = []
        for channel in await notifications.channels {
            let status = await notifications.status(channel.name)
            var row: [String: Any] = ["name": channel.name, "kind": channel.kind.rawValue, "sent": WebFormat.grouped(status.sent),
                                      "failed": WebFormat.grouped(status.failed)]
            row.put("delivered", WebFormat.time(status.lastDelivery, now: now))
            row.put("error", status.lastError)
            channels.append(row)
        }
        let outbox = try await notifications.outbox(limit: 50).map { entry -> [String: Any] in
            var row: [String: Any] = ["channel": entry.channel, "state": entry.state.rawValue,
                                      "event": entry.events.map { "\($0.kind.rawValue) \($0.target)" }.joined(separator: ", ")]
            row.put("when", WebFormat.time(entry.sentAt ?? entry.lastAttemptAt ?? entry.createdAt, now: now))
            row.put("detail", entry.lastError ?? entry.held ?? entry.events.first?.message)
            return row
        }
        let silences = await notifications.silenceList().map { silence -> [String: Any] in
            var row: [String: Any] = ["matches": "\(silence.scope.rawValue) \(silence.value)", "by": silence.createdBy]
            row.put("until", WebFormat.time(silence.until, now: now))
            row.put("comment", silence.reason)
            return row
        }
        return frame.render("notifications", [
            "hasChannels": !channels.isEmpty, "channels": channels, "hasOutbox": !outbox.isEmpty, "outbox": outbox,
            "queued": WebFormat.grouped(await notifications.queuedCount), "hasSilences": !silences.isEmpty, "silences": silences,
        ])
    }

    func userList(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let now = Self.now
        let users = try await accounts.store.users().map { user -> [String: Any] in
            var row: [String: Any] = ["username": user.username, "role": user.role.rawValue, "state": user.suspended ? "suspended" : "active"]
            row.put("email", user.email)
            row.put("created", WebFormat.time(user.createdAt, now: now))
            return row
        }
        let tokens = try await accounts.store.tokens().map { token -> [String: Any] in
            var row: [String: Any] = ["id": token.tokenID, "name": token.name, "role": token.role.rawValue, "state": Self.tokenState(token, now: now)]
            row.put("used", WebFormat.time(token.lastUsedAt, now: now))
            row.put("expires", WebFormat.time(token.expiresAt, now: now))
            return row
        }
        let frame = frame("Users", section: "Users", json: "/api/v1/users", request, context)
        return frame.render("users", ["accounts": users, "hasTokens": !tokens.isEmpty, "tokens": tokens])
    }

    static func tokenState(_ token: APIToken, now: Int64) -> String {
        if token.revokedAt != nil { return "revoked" }
        if let expires = token.expiresAt, expires <= now { return "expired" }
        return "active"
    }
}
