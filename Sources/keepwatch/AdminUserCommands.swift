import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchEngine

struct AdminAddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adduser", abstract: "Add a user, a viewer unless --role says otherwise (prompts for the password when it is omitted).",
        discussion: """
        Examples:
          keepwatch admin adduser alice --role operator --email alice@example.com
          echo "$PASSWORD" | keepwatch admin adduser bob
        """)
    @Argument(help: "User name (letters, digits, . _ @ -).") var username: String
    @Argument(help: "Password, at least 8 characters. Omit it to be prompted without echo (safer: not in shell history).")
    var password: String?
    @Option(name: [.short, .long], help: "Role: admin, operator or viewer.") var role: Role = .viewer
    @Option(name: [.short, .long], help: "E-mail address.") var email: String?
    @Option(help: "First name.") var firstName: String?
    @Option(help: "Last name.") var lastName: String?
    @OptionGroup var options: AdminOptions

    func run() async throws {
        let secret = try exitOnFailure { try password ?? PasswordPrompt.read(confirm: true) }
        try await AdminWorkspace.with(options, create: true) { workspace in
            let profile = AccountService.Profile(email: email, firstName: firstName, lastName: lastName)
            try await workspace.accounts.addUser(username, password: secret, role: role, profile: profile)
            await workspace.audit("adduser", username, detail: "role \(role.rawValue)")
            print("user \(username) added (\(role.rawValue))")
        }
    }
}

struct AdminSetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "setpassword",
                                                    abstract: "Set a user's password; their sessions end.")
    @Argument(help: "The user whose password changes.") var username: String
    @Argument(help: "New password; omit it to be prompted without echo.") var password: String?
    @Option(name: [.short, .long], help: "Also set the e-mail address.") var email: String?
    @OptionGroup var options: AdminOptions

    func run() async throws {
        let secret = try exitOnFailure { try password ?? PasswordPrompt.read(confirm: true) }
        try await AdminWorkspace.with(options) { workspace in
            try await workspace.accounts.setPassword(username, to: secret)
            if let email, let user = try await workspace.store.user(username) {
                _ = try await workspace.accounts.updateProfile(username, .init(email: email, firstName: user.firstName, lastName: user.lastName))
            }
            await workspace.audit("setpassword", username)
            print("password of \(username) changed")
        }
    }
}

struct AdminDropUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dropuser", abstract: "Remove a user and end their sessions.")
    @Argument(help: "The user to remove.") var username: String
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options) { workspace in
            try await workspace.accounts.dropUser(username)
            await workspace.audit("dropuser", username)
            print("user \(username) removed")
        }
    }
}

struct AdminSetRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "setrole", abstract: "Change a user's role.")
    @Argument(help: "The user whose role changes.") var username: String
    @Argument(help: "admin, operator or viewer.") var role: Role
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options) { workspace in
            _ = try await workspace.accounts.setRole(username, role: role, suspended: nil)
            await workspace.audit("setrole", username, detail: role.rawValue)
            print("\(username) is now \(role.rawValue)")
        }
    }
}

struct AdminSuspend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suspend",
                                                    abstract: "Suspend a user (they cannot sign in; their sessions end), or lift it with --lift.")
    @Argument(help: "The user to suspend (or, with --lift, to let in again).") var username: String
    @Flag(help: "Lift the suspension.") var lift = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options) { workspace in
            _ = try await workspace.accounts.setRole(username, role: nil, suspended: !lift)
            await workspace.audit(lift ? "unsuspend" : "suspend", username)
            print(lift ? "\(username) may sign in again" : "\(username) is suspended")
        }
    }
}

struct AdminListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listusers", abstract: "List users (never their password hashes).")
    @Flag(help: "Print JSON (keys without a value are left out).") var json = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let users = try await workspace.store.users()
            if json {
                printJSON(.array(users.map(Self.jsonValue)))
                return
            }
            var table = TextTable(["USER", "ROLE", "STATE", "EMAIL", "FIRST NAME", "LAST NAME"])
            for user in users {
                table.add([user.username, user.role.rawValue, user.suspended ? "suspended" : "active",
                           user.email ?? "", user.firstName ?? "", user.lastName ?? ""])
            }
            table.print()
        }
    }

    static func jsonValue(_ user: UserAccount) -> JSONValue {
        let pairs: [(String, JSONValue?)] = [
            ("username", JSONValue.string(user.username)), ("role", JSONValue.string(user.role.rawValue)),
            ("suspended", JSONValue.bool(user.suspended)), ("email", user.email.map(JSONValue.string)),
            ("first_name", user.firstName.map(JSONValue.string)), ("last_name", user.lastName.map(JSONValue.string)),
        ]
        return jsonObject(pairs)
    }
}
