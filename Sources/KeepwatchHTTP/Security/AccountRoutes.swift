import Hummingbird
import KeepwatchCore
import KeepwatchEngine

/// `GET /api/v1/users` and `GET /api/v1/tokens` (admin): who may sign in, with which role, and the API tokens
/// (never a password hash or a token's secret). The users page's JSON twins.
struct AccountRoutes {
    let accounts: AccountService

    func register(on router: Router<KeepwatchRequestContext>) {
        router.get("api/v1/users") { _, _ in
            await Self.answer { ["users": .array(try await accounts.store.users().map(Self.user))] }
        }
        router.get("api/v1/tokens") { _, _ in
            await Self.answer { ["tokens": .array(try await accounts.store.tokens().map(Self.token))] }
        }
    }

    static func answer(_ body: () async throws -> JSONValue) async -> Response {
        do {
            return JSONResponses.json(try await body())
        } catch {
            return JSONResponses.response(for: error)
        }
    }

    static func user(_ user: UserAccount) -> JSONValue {
        var object: [String: JSONValue] = [
            "username": .string(user.username), "role": .string(user.role.rawValue), "suspended": .bool(user.suspended),
            "created": .string(ISO8601.formatUTC(Instant(secondsSince1970: user.createdAt))),
        ]
        object["email"] = user.email.map(JSONValue.string)
        object["firstname"] = user.firstName.map(JSONValue.string)
        object["lastname"] = user.lastName.map(JSONValue.string)
        return .object(object)
    }

    static func token(_ token: APIToken) -> JSONValue {
        func time(_ seconds: Int64?) -> JSONValue { seconds.map { .string(ISO8601.formatUTC(Instant(secondsSince1970: $0))) } ?? .null }
        return [
            "id": .string(token.tokenID), "name": .string(token.name), "role": .string(token.role.rawValue),
            "created": time(token.createdAt), "expires": time(token.expiresAt), "revoked": time(token.revokedAt),
            "last_used": time(token.lastUsedAt),
        ]
    }
}
