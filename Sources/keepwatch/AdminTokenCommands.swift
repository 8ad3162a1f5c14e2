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
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a token and print its secret once.",
                                                    discussion: "Only a hash is stored: copy the printed kw_… value now.")
    @Option(name: [.short, .long], help: "Role: admin, operator or viewer.") var role: Role
    @Option(help: "Lifetime such as 30d, 12h or 90m; none means it never expires.") var expires: String?
    @Option(help: "A name that says what uses the token.") var name = "cli"
    @OptionGroup var options: AdminOptions

    func run() async throws {
        let lifetime: Int64?
        do {
            lifetime = try expires.map { try IntervalRule.parsePeriod($0, field: "--expires", example: "30d") }
        } catch {
            FileHandle.standardError.write(Data("keepwatch admin: \(error)\n".utf8))
            throw ExitCode(1)
        }
        try await AdminWorkspace.with(options, reload: false, create: true) { workspace in
            let (token, secret) = try await workspace.accounts.createToken(name: name, role: role, expiresIn: lifetime)
            await workspace.audit("token-create", token.name, detail: "\(token.tokenID) role \(role.rawValue)")
            print(secret)
            let expiry = token.expiresAt.map { "expires \(ISO8601.format(Instant(secondsSince1970: $0), in: .utc))" } ?? "never expires"
            FileHandle.standardError.write(Data("token \(token.tokenID) (\(role.rawValue), \(expiry)); the secret above is not shown again\n".utf8))
        }
    }
}

struct AdminTokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their secrets).")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let tokens = try await workspace.store.tokens()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(tokens), as: UTF8.self))
                return
            }
            let now = Int64(Date().timeIntervalSince1970)
            print("ID                NAME                ROLE      STATE     EXPIRES")
            for token in tokens {
                let state = token.revokedAt != nil ? "revoked" : (token.refusal(at: now) != nil ? "expired" : "active")
                let expiry = token.expiresAt.map { ISO8601.format(Instant(secondsSince1970: $0), in: .utc) } ?? "never"
                print(token.tokenID.padding(toLength: 18, withPad: " ", startingAt: 0)
                      + token.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                      + token.role.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                      + state.padding(toLength: 10, withPad: " ", startingAt: 0) + expiry)
            }
        }
    }
}

struct AdminTokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id (tok_…); it stops working at once.")
    @Argument var tokenID: String
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let token = try await workspace.accounts.revokeToken(tokenID)
            await workspace.audit("token-revoke", token.name, detail: token.tokenID)
            print("token \(token.tokenID) revoked")
        }
    }
}
