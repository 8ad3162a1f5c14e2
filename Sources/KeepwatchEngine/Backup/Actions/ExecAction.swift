import KeepwatchCore

/// `exec`: a command as an argument array, or a string run by `/bin/sh -c` (Freezer's form); output to the run log.
enum ExecAction {
    static func run(_ context: ActionContext) async throws {
        guard let command = context.action.strings("command"), let program = command.first else {
            throw ActionFailure("an exec action needs a command")
        }
        let usesShell: Bool
        if case .string? = context.action["command"] { usesShell = true } else { usesShell = false }
        let (tool, arguments) = usesShell ? ("/bin/sh", ["-c", program]) : (program, Array(command.dropFirst()))
        context.log.line("Exec started", fields: [("action", "\(context.index)"), ("command", command.joined(separator: " "))])
        let termination = try await ProcessLauncher.run(tool, arguments, workingDirectory: context.action.string("working_directory"),
                                                        output: context.log.descriptor, error: context.log.descriptor,
                                                        control: context.control)
        guard termination.succeeded else { throw ActionFailure("command failed: \(termination)") }
    }
}
