import ArgumentParser

@main
struct Keepwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepwatch",
        abstract: "Keepwatch: schedule, run, verify and watch backups.",
        subcommands: [ServeCommand.self, JobCommand.self, BackupCommand.self, RestoreCommand.self, CronCommand.self, AdminCommand.self]
    )
}
