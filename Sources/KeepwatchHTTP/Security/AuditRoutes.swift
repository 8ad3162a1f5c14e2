import Hummingbird
import KeepwatchCore
import KeepwatchEngine

/// `GET /api/v1/audit` (admin): sign-ins, sign-outs and account changes, newest first;
/// `GET /api/v1/whoami`: the caller's name, role and credential kind.
struct AuditRoutes {
    let accounts: AccountService

    func register(on router: Router<KeepwatchRequestContext>) {
        router.get("api/v1/audit") { request, _ in
            do {
                let limit = try NativeRoutes.limit(request, maximum: 10_000)
                return JSONResponses.json(encoding: ["entries": try await accounts.store.auditEntries(limit: limit)])
            } catch {
                return JSONResponses.response(for: error)
            }
        }
        router.get("api/v1/whoami") { _, context in
            guard let principal = context.principal else { return CmonReply.unauthorized() }
            let via = principal.isSession ? "session" : "token"
            return JSONResponses.json(["name": .string(principal.name), "role": .string(principal.role.rawValue), "via": .string(via)])
        }
    }
}
