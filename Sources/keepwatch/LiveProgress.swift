import Foundation

/// Prints a run log line by line. When enabled (following a live run on a terminal), progress lines (the node's
/// `msg="progress"` and rclone's transfer statistics) become one line that is redrawn in place and cleared
/// before the next ordinary line.
struct LiveProgress {
    let enabled: Bool
    private var showing = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Enabled only while following a run and only when standard output is a terminal.
    static func forTerminal(following: Bool) -> LiveProgress {
        LiveProgress(enabled: following && isatty(STDOUT_FILENO) == 1)
    }

    mutating func show(_ line: String) {
        if enabled, let progress = Self.progressText(line) {
            Self.write(Self.clearLine + progress)
            showing = true
            return
        }
        clear()
        writeLine(line)
    }

    mutating func finish() {
        clear()
    }

    private mutating func clear() {
        guard showing else { return }
        Self.write(Self.clearLine)
        showing = false
    }

    /// Carriage return, then erase the whole line.
    private static let clearLine = "\r\u{1B}[2K"

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    // MARK: reading progress lines

    /// What a progress line shows, or nil for an ordinary line.
    static func progressText(_ line: String) -> String? {
        nodeProgress(line) ?? rcloneProgress(line)
    }

    /// `msg="progress" written="621 MB" rate="310 MB/s"` and, when the node knows them, `total=`, `percent=` and `eta=`:
    /// `written 621 MB of 1.5 GB (41%), 310 MB/s, ETA 3s`.
    static func nodeProgress(_ line: String) -> String? {
        guard line.contains("progress") else { return nil }
        let fields = Logfmt.parse(line)
        guard Logfmt.value("msg", in: fields) == "progress" else { return nil }
        func field(_ key: String) -> String? {
            Logfmt.value(key, in: fields).flatMap { $0.isEmpty ? nil : $0 }
        }
        var text = "written " + (field("written") ?? field("bytes").map { "\($0) bytes" } ?? "?")
        if let total = field("total") { text += " of \(total)" }
        if let percent = field("percent") { text += " (\(percent.hasSuffix("%") ? percent : percent + "%"))" }
        if let rate = field("rate") { text += ", \(rate)" }
        if let eta = field("eta") { text += ", ETA \(eta)" }
        return text
    }

    /// rclone's statistics, shown as rclone wrote them: `Transferred: 1.2 GiB / 1.5 GiB, 80%, 300 MiB/s, ETA 1s`.
    /// With `--stats-one-line` the line starts with rclone's date and level (`2026/12/01 18:00:01 INFO  :`), which is dropped.
    static func rcloneProgress(_ line: String) -> String? {
        guard !line.hasPrefix("time="), line.contains(" / "), line.contains("%"), line.contains("ETA") else { return nil }
        if let label = line.range(of: "Transferred:") {
            return String(line[label.lowerBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let level = line.range(of: " : ") ?? line.range(of: ": ") else {
            return "Transferred: " + line.trimmingCharacters(in: .whitespaces)
        }
        return "Transferred: " + String(line[level.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
}
