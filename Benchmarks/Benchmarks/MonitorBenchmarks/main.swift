import Foundation

// Usage: MonitorBenchmarks heartbeats [CHECKS]          (default 10,000)
//        MonitorBenchmarks promises [PROMISES] [MINUTES] (default 1,000 promises every minute, 3 minutes)
// Prints markdown rows for BENCHMARKS.md.

let arguments = Array(CommandLine.arguments.dropFirst())
func number(_ index: Int, _ fallback: Int) -> Int { arguments.count > index ? Int(arguments[index]) ?? fallback : fallback }

switch arguments.first {
case "promises":
    try await PromiseDrift.run(promises: number(1, 1_000), minutes: number(2, 3))
default:
    try await HeartbeatLateness.run(checks: number(1, 10_000))
}

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
}

func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
