import ArgumentParser
import Foundation

/// Writes one `keepwatch: …` line on standard error: the one prefix every CLI message uses.
func reportFailure(_ message: String) {
    FileHandle.standardError.write(Data("keepwatch: \(message)\n".utf8))
}

/// Runs `body`; a failure becomes one `keepwatch: …` line on stderr and exit status `status`.
func exitOnFailure<T>(status: Int32 = 1, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        reportFailure("\(error)")
        throw ExitCode(status)
    }
}

/// Writes a line on standard output without going through `print`'s buffer, so it keeps its place among lines
/// written with `FileHandle` (the live progress line).
func writeLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
