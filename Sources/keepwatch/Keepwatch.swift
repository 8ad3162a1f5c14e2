import ArgumentParser

@main
struct Keepwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepwatch",
        abstract: "Keepwatch: schedule, run, verify and watch backups.",
        version: "keepwatch \(KeepwatchVersion.version)",
        subcommands: [ServeCommand.self, JobCommand.self, CheckCommand.self, NotifyCommand.self, SilenceCommand.self, BackupCommand.self, RestoreCommand.self, CronCommand.self, AdminCommand.self,
                      VersionCommand.self]
    )
}

/// `keepwatch version`: the same line as `keepwatch --version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Keepwatch's version.")

    func run() {
        print("keepwatch \(KeepwatchVersion.version)")
    }
}
