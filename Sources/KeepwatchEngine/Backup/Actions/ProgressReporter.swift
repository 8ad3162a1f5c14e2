import Foundation
import KeepwatchCore

/// Writes `progress bytes=… rate=…/s` to the run log every two seconds while a long step runs.
enum ProgressReporter {
    static func start(_ counter: ProgressCounter, log: RunLog, action: Int, every seconds: Double = 2) -> Task<Void, Never> {
        Task.detached {
            let started = Date()
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                if Task.isCancelled { return }
                let bytes = counter.value
                let rate = Double(bytes) / max(Date().timeIntervalSince(started), 0.001)
                log.line("progress", fields: [("action", "\(action)"), ("bytes", "\(bytes)"),
                                              ("written", GoFormat.bytes(bytes)), ("rate", GoFormat.bytes(Int64(rate)) + "/s")])
            }
        }
    }
}
