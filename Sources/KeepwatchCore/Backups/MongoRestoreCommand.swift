/// The `mongorestore` invocation for a `mongo` backup (mgob's archive: `--archive=<file> --gzip`), with `--drop` so
/// the restored collections replace what is there, `--uri` or `--host/--port`, `--nsInclude <db>.*` for one
/// database, and the password in a `--config` file as for mongodump.
public struct MongoRestoreCommand: Equatable, Sendable {
    public var arguments: [String]
    public var configFileContents: String?

    public init(action: FreezerAction, archivePath: String, configPath: String) {
        let dump = MongoDumpCommand(action: action, archivePath: archivePath, configPath: configPath)
        var arguments = ["--archive=\(archivePath)", "--gzip", "--drop"]
        for (index, argument) in dump.arguments.enumerated() where index >= 2 {
            if argument == "--db" { continue }
            if index > 0 && dump.arguments[index - 1] == "--db" {
                arguments.append("--nsInclude=\(argument).*")
                continue
            }
            arguments.append(argument)
        }
        self.arguments = arguments
        configFileContents = dump.configFileContents
    }
}
