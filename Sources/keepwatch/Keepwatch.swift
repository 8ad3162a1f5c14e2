import ArgumentParser

@main
struct Keepwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepwatch",
        abstract: "Keepwatch: schedule, run, verify and watch backups.",
        subcommands: [CronCommand.self]
    )
}
