import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchHub
import KeepwatchStore

/// The controller (source) keys every add and update command takes, as `ccmgradm`'s flags plus Keepwatch's.
struct ControllerOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Static credentials: the user to sign in to the controller as.") var username: String?
    @Option(name: [.short, .long], help: "Static credentials: the password (or use --password-file; on the command line it shows in ps).")
    var password: String?
    @Option(help: "Read the password from this file (first line).") var passwordFile: String?
    @Option(name: [.short, .long], help: "Name (default: the URL's host).") var name: String?
    @Option(name: [.short, .customLong("frontend-url")], help: "The controller's web UI URL.") var frontendURL: String?
    @Option(help: "Kind of source: cmon (default), mgob, ethoscope or keepwatch.") var kind: String?
    @Option(help: "API token (keepwatch sources; mgob behind a token).") var token: String?
    @Option(help: "Read the API token from this file (first line).") var tokenFile: String?
    @Option(name: .customLong("mysql-url"), help: "Ethoscope: the MySQL backup daemon's status URL (default <scheme>://<url host>:8090/status).")
    var mysqlURL: String?
    @Option(name: .customLong("rsync-url"), help: "Ethoscope: the rsync backup daemon's status URL (default <scheme>://<url host>:8093/status).")
    var rsyncURL: String?
    @Option(help: "Seconds a request to the source may take, 1-600 (new sources: 10).") var timeout: Int?
    @Option(help: "Seconds between refreshes, 5-86400 (new sources: 60).") var refreshInterval: Int?
    @Option(help: "Verify the source's certificate against this CA file.") var tlsCAFile: String?
    @Flag(inversion: .prefixedNo, help: "Do not verify the source's TLS certificate (not recommended); --no-tls-insecure verifies it again.")
    var tlsInsecure: Bool?
    @Flag(name: [.customShort("l"), .customLong("use-ldap")], help: .hidden) var useLDAP = false

    /// The keys given, as a `controller` object.
    func object() throws -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        object["username"] = username.map(JSONValue.string)
        object["password"] = try (password ?? passwordFile.map(Self.firstLine)).map(JSONValue.string)
        object["name"] = name.map(JSONValue.string)
        object["frontend_url"] = frontendURL.map(JSONValue.string)
        object["kind"] = kind.map(JSONValue.string)
        object["token"] = try (token ?? tokenFile.map(Self.firstLine)).map(JSONValue.string)
        object["mysql_url"] = mysqlURL.map(JSONValue.string)
        object["rsync_url"] = rsyncURL.map(JSONValue.string)
        object["timeout"] = timeout.map { .number(Double($0)) }
        object["refresh_interval"] = refreshInterval.map { .number(Double($0)) }
        object["tls_ca_file"] = tlsCAFile.map(JSONValue.string)
        object["tls_insecure"] = tlsInsecure.map(JSONValue.bool)
        return object
    }

    static func firstLine(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw AdminFailure("cannot read \(path)") }
        let line = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        guard !line.isEmpty else { throw AdminFailure("\(path) is empty; its first line must hold the secret") }
        return line
    }
}

enum ControllerLine {
    /// `ccmgradm listcontrollers`'s line: `* URL [NAME] Static user: USER Web-UI:URL`, plus the kind and xid.
    static func text(_ source: SourceDefinition) -> String {
        var line = "* \(source.url) [\(source.name)]"
        if let user = source.username { line += " Static user: \(user)" } else if source.token != nil { line += " Token" }
        else if source.kind == .cmon { line += " *No credentials*" }
        if let frontend = source.frontendURL { line += " Web-UI:\(frontend)" }
        if source.kind != .cmon { line += " kind: \(source.kind.rawValue)" }
        return line + " xid: \(source.xid)"
    }

    static func parse(_ object: [String: JSONValue], xid: String) throws -> SourceDefinition {
        do {
            return try SourceDefinition(json: .object(object), xid: xid)
        } catch {
            throw AdminFailure("\(error.field.replacingOccurrences(of: "controller.", with: "")): \(error.message)")
        }
    }

    static func check(_ new: SourceDefinition?, replacing current: SourceDefinition?) throws {
        do {
            try SourceDefinition.checkManaged(new, replacing: current)
            if let new { try SourceLookup.checkFiles(new) }
        } catch {
            throw AdminFailure(error.message)
        }
    }

    static func find(_ reference: String, in store: SQLStore) async throws -> SourceDefinition {
        do {
            return try SourceLookup.find(reference, in: try await store.sources())
        } catch let error as DocumentError {
            throw AdminFailure("\(error.message); see keepwatch admin listcontrollers")
        }
    }
}

struct AdminAddController: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addcontroller", abstract: "Add a source to watch: a ClusterControl controller (default), an mgob, an Ethoscope node or a Keepwatch node.",
        discussion: """
        The running node picks it up without a restart. Passwords and tokens are stored encrypted with the node key.
        Examples:
          keepwatch admin addcontroller -u admin \\
              --password-file /etc/keepwatch/cc1.pass -n lab cc1:9501
          keepwatch admin addcontroller --kind mgob -n mongo http://10.0.0.5:8090
          keepwatch admin addcontroller --kind ethoscope -n lab-node http://node.lab
          keepwatch admin addcontroller --kind keepwatch \\
              --token-file /etc/keepwatch/site-b.token https://site-b:8090
        """)
    @Argument(help: "The source's URL: host:port (means https://), http://… or https://….") var url: String
    @OptionGroup var controller: ControllerOptions
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options) { workspace in
            var object = try controller.object()
            object["url"] = .string(url)
            let source = try ControllerLine.parse(object, xid: SourceIDs.next())
            try ControllerLine.check(source, replacing: nil)
            do {
                try await workspace.store.insertSource(source)
            } catch StoreError.duplicate(let what) {
                throw AdminFailure("duplicated URL: \(what) already exists")
            }
            await workspace.audit("addcontroller", "cli", detail: "\(source.kind.rawValue) \(source.url) \(source.xid)")
            print("controller added:")
            print(ControllerLine.text(source))
        }
    }
}

struct AdminUpdateController: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "updatecontroller", abstract: "Change a source found by URL, name or xid; options not given keep their value.",
        discussion: """
        Examples:
          keepwatch admin updatecontroller -u admin -p newsecret cc1.example.com:9501
          keepwatch admin updatecontroller --refresh-interval 300 lab
        """)
    @Argument(help: "The source's URL, name or xid.") var urlOrName: String
    @Option(help: "A new URL.") var url: String?
    @OptionGroup var controller: ControllerOptions
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options) { workspace in
            let current = try await ControllerLine.find(urlOrName, in: workspace.store)
            try ControllerLine.check(nil, replacing: current)
            guard case .object(var object) = current.document else { throw AdminFailure("controller \(urlOrName) is unreadable") }
            for (key, value) in try controller.object() { object[key] = value }
            if let url { object["url"] = .string(url) }
            let changed = try ControllerLine.parse(object, xid: current.xid)
            try ControllerLine.check(changed, replacing: current)
            do {
                try await workspace.store.updateSource(changed)
            } catch StoreError.duplicate(let what) {
                throw AdminFailure("duplicated URL: \(what) already exists")
            }
            await workspace.audit("updatecontroller", "cli", detail: "\(changed.url) \(changed.xid)")
            print("controller updated:")
            print(ControllerLine.text(changed))
        }
    }
}

struct AdminDropController: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropcontroller", abstract: "Stop watching a source, found by URL, name or xid; its data leaves every view.")
    @Argument(help: "The controller name or URL from configuration (or its xid).") var urlOrName: String
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options) { workspace in
            let source = try await ControllerLine.find(urlOrName, in: workspace.store)
            try ControllerLine.check(nil, replacing: source)
            _ = try await workspace.store.deleteSource(xid: source.xid)
            await workspace.audit("dropcontroller", "cli", detail: "\(source.url) \(source.xid)")
            print("controller \(source.url) [\(source.name)] removed")
        }
    }
}

struct AdminListControllers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listcontrollers", abstract: "List the sources this node watches (never their passwords or tokens).")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let sources = try await workspace.store.sources()
            if json {
                printJSON(["controllers": .array(sources.map { .object($0.shown) })])
                return
            }
            print("Controllers from configuration:")
            for source in sources { print(ControllerLine.text(source)) }
        }
    }
}

