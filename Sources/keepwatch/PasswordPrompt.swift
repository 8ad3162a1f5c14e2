import Foundation

/// Reads a password from the terminal without echo (asked twice when confirming); from standard input when
/// it is not a terminal, so scripts can pipe it in.
enum PasswordPrompt {
    static func read(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw AdminFailure("no password given on standard input") }
            return line
        }
        let first = try ask("Password: ")
        if confirm, try ask("Repeat password: ") != first { throw AdminFailure("the passwords differ") }
        return first
    }

    private static func ask(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw AdminFailure("no password given") }
        return line
    }
}
