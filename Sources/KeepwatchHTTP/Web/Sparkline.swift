import Foundation
import KeepwatchCore

/// The last runs of a job as a small inline SVG: one bar per run, oldest left, its height the run's duration
/// against the longest shown, its class (colour) the result, and a `<title>` naming both for a tooltip. Only
/// attributes and classes: the page's CSP allows no inline style.
enum Sparkline {
    static let barWidth = 4
    static let gap = 1
    static let height = 24

    static func svg(_ runs: [Run], now: Int64) -> String {
        let shown = Array(runs.prefix(30).reversed())
        guard !shown.isEmpty else { return "" }
        let durations = shown.map { seconds($0, now: now) }
        let longest = max(durations.max() ?? 1, 1)
        let width = shown.count * (barWidth + gap)
        let failed = shown.filter { $0.status == .fail }.count
        var svg = "<svg class=\"spark\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" "
            + "aria-label=\"\(WebFormat.counted(shown.count, "last run", "last runs")): \(failed) failed\">"
        for (index, run) in shown.enumerated() {
            let bar = max(4, Int((Double(durations[index]) / Double(longest) * Double(height)).rounded()))
            svg += "<rect class=\"\(run.status.rawValue)\" x=\"\(index * (barWidth + gap))\" y=\"\(height - bar)\" width=\"\(barWidth)\" height=\"\(bar)\">"
            svg += "<title>\(WebHTML.escape(run.runID)): \(run.status.rawValue), \(WebFormat.duration(durations[index]))</title></rect>"
        }
        return svg + "</svg>"
    }

    static func seconds(_ run: Run, now: Int64) -> Int64 {
        if let nanoseconds = run.elapsedNanoseconds { return nanoseconds / 1_000_000_000 }
        return max(0, (run.endedAt ?? now) - run.startedAt)
    }
}
