/// What one run of a promise says, by the seed's rules: it must print its status JSON with a `message` on standard
/// output and exit 0 when good. No output, bad JSON, no message, a non-zero exit or a timeout is a failure whose
/// message says which.
public struct PromiseRun: Sendable, Equatable {
    /// Unix seconds when the run started.
    public var date: Int64
    /// Seconds, in SlapOS's 0.05 s steps.
    public var executionTime: Double
    public var failed: Bool
    public var message: String

    public init(date: Int64, executionTime: Double, failed: Bool, message: String) {
        self.date = date
        self.executionTime = executionTime
        self.failed = failed
        self.message = message
    }

    /// Judges a finished run. `exit` is nil when the process was killed by a signal.
    public static func judge(date: Int64, seconds: Double, exit: Int32?, timedOut: Int?, output: [UInt8], errors: [UInt8]) -> PromiseRun {
        let steps = (seconds / 0.05).rounded(.up) * 0.05
        func run(_ failed: Bool, _ message: String) -> PromiseRun {
            PromiseRun(date: date, executionTime: (steps * 100).rounded() / 100, failed: failed, message: cut(message))
        }
        if let timeout = timedOut { return run(true, "Error: Promise timed out after \(timeout) seconds") }
        let text = String(decoding: output, as: UTF8.self)
        let said = String(decoding: errors, as: UTF8.self).trimmingWhitespace
        guard !text.trimmingWhitespace.isEmpty else {
            return run(true, "Error: No output returned by the promise" + (said.isEmpty ? "" : " (standard error: \(said))"))
        }
        guard case .object(let status)? = try? JSONParser.parse(bytes: output) else {
            return run(true, "Error: the promise did not print a JSON status on standard output; it printed: \(String(text.trimmingWhitespace.prefix(300)))")
        }
        guard case .string(let message)? = status["message"] else {
            return run(true, "Error: the promise's status JSON has no \"message\" text")
        }
        guard let exit else { return run(true, message.isEmpty ? "Error: the promise was killed by a signal" : message) }
        return run(exit != 0, message)
    }

    /// Messages keep their last 5,000 characters, as SlapOS keeps them.
    static func cut(_ message: String) -> String {
        message.count > 5_000 ? "..." + message.suffix(5_000) : message
    }
}

/// SlapOS's anomaly rule: a promise is failing when its newest run failed and at least `failureAmount` of its last
/// `resultCount` runs did (1 of 1 by default: every failure counts).
public enum PromiseAnomaly {
    public static func failing(_ recent: [Bool], failureAmount: Int, resultCount: Int) -> Bool {
        guard let newest = recent.last, newest else { return false }
        return recent.suffix(resultCount).filter { $0 }.count >= failureAmount
    }
}

extension String {
    var trimmingWhitespace: String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
