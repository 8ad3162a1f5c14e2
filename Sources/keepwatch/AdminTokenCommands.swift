import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchEngine

struct AdminToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for scripts, Prometheus and other nodes (Authorization: Bearer kw_…).",
        subcommands: [AdminTokenCreate.self, AdminTokenList.self, AdminTokenRevoke.self])
}

struct AdminTokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a token and print its secret once.",
        discussion: """
        Only a hash is stored: copy the printed kw_… value now. The secret alone goes to standard output, so it can be captured.

        Examples:
          export KEEPWATCH_TOKEN=$(keepwatch admin token create --role operator)
          keepwatch admin token create --role viewer --expires 30d --name grafana
        """)
    @Option(name: [.short, .long], help: "Role: admin, operator or viewer.") var role: Role
    @Option(help: "Lifetime such as 30d, 12h or 90m; without it the token never expires.") var expires: String?
    @Option(help: "A name that says what uses the token.") var name = "cli"
    @OptionGroup var options: AdminOptions

    func run() async throws {
        let lifetime = try exitOnFailure { try expires.map { try IntervalRule.parsePeriod($0, field: "--expires", example: "30d") } }
        try await AdminWorkspace.with(options, reload: false, create: true) { workspace in
            let (token, secret) = try await workspace.accounts.createToken(name: name, role: role, expiresIn: lifetime)
            await workspace.audit("token-create", token.name, detail: "\(token.tokenID) role \(role.rawValue)")
            print(secret)
            let expiry = token.expiresAt.map { "expires \(Timestamp.text($0))" } ?? "never expires"
            FileHandle.standardError.write(Data("token \(token.tokenID) (\(role.rawValue), \(expiry)); the secret above is not shown again\n".utf8))
        }
    }
}

struct AdminTokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their secrets); times are UTC.")
    @Flag(help: "Print JSON (times as ISO-8601 strings; keys without a value are left out).") var json = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let tokens = try await workspace.store.tokens()
            let now = Int64(Date().timeIntervalSince1970)
            if json {
                printJSON(.array(tokens.map { Self.jsonValue($0, now: now) }))
                return
            }
            var table = TextTable(["ID", "NAME", "ROLE", "STATE", "CREATED", "LAST USED", "EXPIRES"])
            for token in tokens {
                table.add([token.tokenID, token.name, token.role.rawValue, Self.state(token, now: now), Timestamp.text(token.createdAt),
                           token.lastUsedAt.map { Timestamp.text($0) } ?? "never", token.expiresAt.map { Timestamp.text($0) } ?? "never"])
            }
            table.print()
        }
    }

    static func state(_ token: APIToken, now: Int64) -> String {
        token.revokedAt != nil ? "revoked" : (token.refusal(at: now) != nil ? "expired" : "active")
    }

    static func jsonValue(_ token: APIToken, now: Int64) -> JSONValue {
        let pairs: [(String, JSONValue?)] = [
            ("token_id", JSONValue.string(token.tokenID)), ("name", JSONValue.string(token.name)),
            ("role", JSONValue.string(token.role.rawValue)), ("state", JSONValue.string(state(token, now: now))),
            ("created_at", Timestamp.json(token.createdAt)), ("expires_at", Timestamp.json(token.expiresAt)),
            ("revoked_at", Timestamp.json(token.revokedAt)), ("last_used_at", Timestamp.json(token.lastUsedAt)),
        ]
        return jsonObject(pairs)
    }
}

struct AdminTokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id (tok_…); it stops working at once.")
    @Argument(help: "The token's id, tok_… (see `keepwatch admin token list`); not its kw_… secret.") var tokenID: String
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            guard let existing = try await workspace.store.token(id: tokenID) else {
                throw AdminFailure("token \(tokenID) not found (see keepwatch admin token list)")
            }
            if existing.revokedAt != nil {
                print("token \(existing.tokenID) was already revoked")
                return
            }
            let token = try await workspace.accounts.revokeToken(tokenID)
            await workspace.audit("token-revoke", token.name, detail: token.tokenID)
            print("token \(token.tokenID) revoked")
        }
    }
}
