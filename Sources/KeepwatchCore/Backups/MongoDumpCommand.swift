/// The `mongodump` invocation of a `mongo` backup, as mgob builds it (`--archive=<file> --gzip`, then
/// `--uri` or `--host/--port`, `--db`, and the plan's extra `params`), with two fixes: no shell is involved,
/// and the password goes into a `--config` file readable only by Keepwatch instead of onto the command line.
public struct MongoDumpCommand: Equatable, Sendable {
    public var arguments: [String]
    /// YAML for mongodump's `--config` file, when a password must be passed.
    public var configFileContents: String?

    public init(action: FreezerAction, archivePath: String, configPath: String) {
        var arguments = ["--archive=\(archivePath)", "--gzip"]
        var password: String?
        if let uri = action.string("uri"), !uri.isEmpty {
            arguments.append("--uri=\(uri)")
        } else {
            if let host = action.string("host"), !host.isEmpty { arguments += ["--host", host] }
            if let port = action.int("port") { arguments += ["--port", String(port)] }
            if let user = action.string("username"), !user.isEmpty, let secret = action.string("password"), !secret.isEmpty {
                arguments += ["--username", user]
                password = secret
            }
        }
        if let database = action.string("database"), !database.isEmpty { arguments += ["--db", database] }
        if let params = action.string("params") {
            arguments += params.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
        if let password {
            arguments.append("--config=\(configPath)")
            configFileContents = "password: \(DoubleQuoted.quote(password))\n"
        }
        self.arguments = arguments
    }
}
